#!/bin/sh
# fitserve trees vs scikit-learn on 200,000 x 50 make_classification (binary): fit seconds,
# test accuracy and ratios, side by side in one run. From anywhere:
#   bench/trees/bench.sh [--rows N] [--models gbm,rf]
# Results go into bench/trees/RESULTS.md (between the bench markers). Needs Debian's
# python3-sklearn (apt-get install -y python3-sklearn); the machine's load makes timings noisy.
set -e
cd "$(dirname "$0")/../.."
./mvnw -B -q test-compile
exec /usr/bin/python3 bench/trees/bench.py --out bench/trees/RESULTS.md "$@"
