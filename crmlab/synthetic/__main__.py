"""``python -m crmlab.synthetic [folder]`` rewrites every synthetic data set."""

import sys

from crmlab.synthetic import write_all

for written in write_all(sys.argv[1] if len(sys.argv) > 1 else "datasets/synthetic"):
    print(f"wrote {written}")
