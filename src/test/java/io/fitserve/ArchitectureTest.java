package io.fitserve;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes.
 */
class ArchitectureTest {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.fitserve");
	}

	@Test
	void mlDependsOnNothingElseInTheApplication() {
		noClasses().that()
			.resideInAPackage("io.fitserve.ml..")
			.should()
			.dependOnClassesThat(describe("an application class outside ml",
					c -> c.getPackageName().startsWith("io.fitserve")
							&& !c.getPackageName().startsWith("io.fitserve.ml")))
			.check(classes);
	}

	@Test
	void mlUsesNoFrameworks() {
		noClasses().that()
			.resideInAPackage("io.fitserve.ml..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "jakarta..", "org.hibernate..")
			.check(classes);
	}

	@Test
	void repositoriesDeclareNoQueryStrings() {
		// Spring Data parses every declared query with its own HQL grammar and Hibernate
		// validates it, while the service starts: about 2 s of the 17 to health UP went
		// to eight short strings. Derived queries and criteria fragments parse nothing.
		methods().should()
			.notBeAnnotatedWith(org.springframework.data.jpa.repository.Query.class)
			.andShould()
			.notBeAnnotatedWith(org.springframework.data.jpa.repository.NativeQuery.class)
			.check(classes);
	}

	@Test
	void onlyTheArtifactCodecReadsAndWritesJson() {
		// the enums carry Jackson's annotations (com.fasterxml.jackson.annotation, a jar
		// of
		// annotations only) for their wire names; the JSON machinery itself stays in
		// ml.artifact, whose header is JSON
		noClasses().that()
			.resideInAPackage("io.fitserve.ml..")
			.and()
			.resideOutsideOfPackage("io.fitserve.ml.artifact..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("tools.jackson..")
			.check(classes);
	}

	@Test
	void mlPackagesHaveNoCycles() {
		slices().matching("io.fitserve.ml.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void eachAlgorithmStaysInItsOwnPackage() {
		// the descriptors share code only through the seam package training.algorithms
		slices().matching("io.fitserve.training.algorithms.(*)..").should().notDependOnEachOther().check(classes);
	}

	@Test
	void servicesSpeakDomainExceptionsNotHttp() {
		// only the web layer (controllers, filters, the exception handlers) knows HTTP
		// statuses; services throw io.fitserve.errors.DomainException
		noClasses().that()
			.areAnnotatedWith(Service.class)
			.or()
			.resideInAnyPackage("io.fitserve.ml..", "io.fitserve.training.algorithms..", "io.fitserve.errors..")
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(HttpStatus.class, HttpStatusCode.class, ResponseEntity.class)
			.check(classes);
	}

	@Test
	void controllersNeverReturnEntities() {
		methods().that()
			.areDeclaredInClassesThat()
			.areAnnotatedWith(RestController.class)
			.should()
			.haveRawReturnType(describe("not a JPA entity", t -> !t.isAnnotatedWith(Entity.class)))
			.check(classes);
	}

}
