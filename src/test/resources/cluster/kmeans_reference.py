"""Reference values for KMeansTest and ClusterMetricsTest (scikit-learn 1.2.1).

Run from this folder with /usr/bin/python3 kmeans_reference.py; it writes blobs.csv
(the generated rows and scikit-learn's labels) and reference.properties.
"""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler
from sklearn import metrics

out = {}

# blobs: 400 rows, 5 centres in 3 dimensions, overlapping a little
X, y = make_blobs(n_samples=400, centers=5, n_features=3, cluster_std=1.5, random_state=7)
km = KMeans(n_clusters=5, n_init=10, max_iter=300, tol=1e-4, random_state=0).fit(X)
with open("blobs.csv", "w") as f:
    f.write("x0,x1,x2,blob,sklearn\n")
    for row, blob, label in zip(X, y, km.labels_):
        f.write("%r,%r,%r,%d,%d\n" % (row[0], row[1], row[2], blob, label))
out["blobs.inertia"] = km.inertia_
out["blobs.silhouette"] = metrics.silhouette_score(X, km.labels_)
out["blobs.daviesBouldin"] = metrics.davies_bouldin_score(X, km.labels_)
out["blobs.ari"] = metrics.adjusted_rand_score(y, km.labels_)
out["blobs.mi"] = metrics.mutual_info_score(y, km.labels_)
out["blobs.nmi"] = metrics.normalized_mutual_info_score(y, km.labels_)
out["blobs.ami"] = metrics.adjusted_mutual_info_score(y, km.labels_)

# iris, standardized with population standard deviations as fitserve's preprocessing
iris = np.genfromtxt("../datasets/iris.csv", delimiter=",", skip_header=1, usecols=(0, 1, 2, 3))
species = np.genfromtxt("../datasets/iris.csv", delimiter=",", skip_header=1, usecols=(4,), dtype=str)
Z = StandardScaler().fit_transform(iris)
for k in (2, 3, 4):
    kmi = KMeans(n_clusters=k, n_init=10, random_state=0).fit(Z)
    out["iris.k%d.inertia" % k] = kmi.inertia_
    out["iris.k%d.silhouette" % k] = metrics.silhouette_score(Z, kmi.labels_)
    if k == 3:
        with open("iris-sklearn-labels.txt", "w") as f:
            f.write(" ".join(str(l) for l in kmi.labels_) + "\n")
        out["iris.k3.daviesBouldin"] = metrics.davies_bouldin_score(Z, kmi.labels_)
        out["iris.k3.ari"] = metrics.adjusted_rand_score(species, kmi.labels_)
        out["iris.k3.mi"] = metrics.mutual_info_score(species, kmi.labels_)
        out["iris.k3.nmi"] = metrics.normalized_mutual_info_score(species, kmi.labels_)
        out["iris.k3.ami"] = metrics.adjusted_mutual_info_score(species, kmi.labels_)
        # the cluster of the first (setosa) row: its size, centroid in original units,
        # and that row's distance to it (as KMeans.transform)
        setosa = kmi.labels_[0]
        out["iris.k3.setosaClusterSize"] = np.sum(kmi.labels_ == setosa)
        for j, name in enumerate(("sepal_length", "sepal_width", "petal_length", "petal_width")):
            out["iris.k3.setosaCentroid." + name] = iris[kmi.labels_ == setosa, j].mean()
        out["iris.k3.row0Distance"] = kmi.transform(Z[:1])[0, setosa]
        for i, size in enumerate(sorted(np.bincount(kmi.labels_))):
            out["iris.k3.sortedSize%d" % i] = size

with open("reference.properties", "w") as f:
    f.write("# written by kmeans_reference.py (scikit-learn 1.2.1)\n")
    for key, value in out.items():
        f.write("%s=%r\n" % (key, float(value)))
