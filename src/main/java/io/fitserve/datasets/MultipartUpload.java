package io.fitserve.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/**
 * Reads a multipart upload as it arrives: the form fields {@code name} and {@code mask},
 * and the part {@code file}, whose bytes go straight to the parser, never to a temporary
 * file (Spring's multipart support would spool a file part over 1 MB to disk, raw values
 * included, before the controller saw it). Other parts are skipped.
 *
 * <p>
 * The mask applies while the file is parsed, so it must come before the file part (as the
 * dashboard and Swagger UI send it) or in the query string; a mask after the file is a
 * 400, and what was parsed is dropped unstored. A name may come anywhere.
 */
final class MultipartUpload {

	/** The most bytes of a form field (a mask for a very wide file fits). */
	static final int MAX_FIELD_BYTES = 1 << 20;

	/** What reads the file part: the parser, given the mask known by then. */
	interface FileReader {

		DatasetService.ParsedUpload read(InputStream csv, String filename, String name, String mask);

	}

	/** A read upload: the parsed file, its name and the dataset name. */
	record Form(DatasetService.ParsedUpload parsed, String filename, String name) {
	}

	private MultipartUpload() {
	}

	/**
	 * Reads the whole request body (a multipart/form-data body of contentType) from body.
	 * @param queryNames the query string's name values (may be null)
	 * @param queryMasks the query string's mask values (may be null)
	 */
	static Form read(String contentType, InputStream body, String[] queryNames, String[] queryMasks, FileReader reader)
			throws IOException {
		List<String> names = new ArrayList<>(queryNames == null ? List.of() : List.of(queryNames));
		List<String> masks = new ArrayList<>(queryMasks == null ? List.of() : List.of(queryMasks));
		String boundary = MultipartReader.boundary(contentType);
		if (boundary == null) {
			throw unreadable("its Content-Type has no usable boundary parameter");
		}
		MultipartReader parts = new MultipartReader(body, boundary);
		DatasetService.ParsedUpload parsed = null;
		try {
			String filename = null;
			boolean maskAfterFile = false;
			try {
				MultipartReader.Part part;
				while ((part = parts.next()) != null) {
					String field = part.name();
					if ("file".equals(field)) {
						if (parsed != null) {
							throw DomainException.invalid("The upload has more than one part named file.",
									List.of(FieldError.field("file", "is given more than once")));
						}
						if (part.contentType() != null
								&& part.contentType().regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
							throw DomainException.invalid(
									"The file part is itself multipart (several files in one field): send one CSV file.",
									List.of(FieldError.field("file", "is a nested multipart body, not a CSV file")));
						}
						filename = part.filename();
						try (InputStream in = nonEmpty(new Unreadable(part.content()))) {
							parsed = reader.read(in, filename, DatasetController.oneName(names.toArray(String[]::new)),
									DatasetController.oneMask(masks.toArray(String[]::new)));
						}
					}
					else if ("name".equals(field) || "mask".equals(field)) {
						String value = text(part.content(), field);
						if ("name".equals(field)) {
							names.add(value);
						}
						else {
							maskAfterFile |= parsed != null && !masks.contains(value);
							masks.add(value);
						}
					}
					// other parts are skipped by the next call to next()
				}
			}
			catch (MultipartReader.MalformedException ex) {
				throw unreadable(ex.getMessage());
			}
			if (parsed == null) {
				throw DomainException.invalid("The upload has no part named file.",
						List.of(FieldError.field("file", "is missing")));
			}
			// the values are checked even when the mask came too late, so two different
			// ones
			// are the same 400 as before
			DatasetController.oneMask(masks.toArray(String[]::new));
			if (maskAfterFile) {
				throw DomainException.invalid(
						"The mask came after the file part: columns are masked while the file is read, so send mask "
								+ "before file (or as a query parameter). Nothing was stored.",
						List.of(FieldError.field("mask", "must come before the file part")));
			}
			return new Form(parsed, filename, DatasetController.oneName(names.toArray(String[]::new)));
		}
		catch (IOException | RuntimeException ex) {
			// a file part read before the error: its values are freed now, not at some
			// later collection
			if (parsed != null && parsed.ingest() != null) {
				parsed.ingest().release();
			}
			throw ex;
		}
	}

	/**
	 * The 400 of a body that is not multipart/form-data as RFC 7578 has it; reason is the
	 * reader's own English (never a path or a class name).
	 */
	private static DomainException unreadable(String reason) {
		return DomainException.invalid("The multipart request could not be read: " + reason + ".",
				List.of(FieldError.field("body", "is not a readable multipart/form-data body")));
	}

	/** The stream, or a 400 when it has no byte at all. */
	private static InputStream nonEmpty(InputStream in) throws IOException {
		PushbackInputStream pushback = new PushbackInputStream(in, 1);
		int first = pushback.read();
		if (first < 0) {
			throw DomainException.invalid("The uploaded file is empty.", List.of(FieldError.field("file", "is empty")));
		}
		pushback.unread(first);
		return pushback;
	}

	private static String text(InputStream in, String field) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buf = new byte[8192];
		int n;
		while ((n = in.read(buf)) >= 0) {
			if (out.size() + n > MAX_FIELD_BYTES) {
				throw DomainException.invalid("The form field " + field + " is longer than 1 MB.",
						List.of(FieldError.field(field, "is longer than 1 MB")));
			}
			out.write(buf, 0, n);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/**
	 * The body could not be read while the file part was parsed (cut short, malformed, or
	 * the client stopped sending): unchecked, so it passes the parser unchanged.
	 */
	static final class UnreadableBody extends java.io.UncheckedIOException {

		UnreadableBody(IOException cause) {
			super(cause);
		}

	}

	/** Turns the file part's read failures into {@link UnreadableBody}. */
	private static final class Unreadable extends java.io.FilterInputStream {

		Unreadable(InputStream in) {
			super(in);
		}

		@Override
		public int read() {
			try {
				return super.read();
			}
			catch (IOException ex) {
				throw new UnreadableBody(ex);
			}
		}

		@Override
		public int read(byte[] b, int off, int len) {
			try {
				return super.read(b, off, len);
			}
			catch (IOException ex) {
				throw new UnreadableBody(ex);
			}
		}

	}

}
