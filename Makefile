# Two commands from a fresh clone:  `make lab` (open the course) and `make test`.
# Both create .venv if it is missing and install the pinned versions first.
# Without make: `python course.py lab` / `python course.py test` do the same.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PY      = $(BIN)/python
STAMP   = $(VENV)/.installed-stamp
export PYTHONHASHSEED = 0

.PHONY: lab test install notebooks exercises datasets lint bench font lock clean site serve slides

# `make lab`, `make test` and `make install` are `python course.py lab|test|install`:
# one implementation (course.py, standard library only) for Windows, macOS and Linux.
# `make lab` also copies new exercises into workspace/ (git-ignored; never overwritten).

lab:  ## open JupyterLab on the overview notebook (exercises copied into workspace/)
	$(PYTHON) course.py lab

test:  ## every test: unit, property, doctest, notebooks (nbval), consistency
	$(PYTHON) course.py test

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) course.py install

notebooks: $(STAMP)  ## re-execute every stored notebook in place
	$(PY) tools/run_notebooks.py

exercises: $(STAMP)  ## regenerate exercises/ from solutions/
	$(PY) tools/make_exercises.py

datasets: $(STAMP)  ## regenerate the synthetic data sets (byte-identical)
	$(PY) -m crmlab.synthetic datasets/synthetic

site: $(STAMP)  ## course website from the stored notebooks (build/site; no re-execution)
	$(PY) tools/build_site.py

serve: $(STAMP)  ## serve build/site on http://127.0.0.1:8000 (built first if missing; offline)
	test -f build/site/index.html || $(PY) tools/build_site.py
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory build/site

slides: $(STAMP)  ## reveal.js slides of every lecture notebook (build/slides; offline)
	$(PY) tools/build_slides.py

lint: $(STAMP)
	$(BIN)/ruff check crmlab tests tools benchmarks course.py deploy

bench: $(STAMP)  ## speed/memory benchmarks (needs the bench extra)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	for script in benchmarks/[!_]*.py; do $(PY) $$script || exit 1; done

lock:  ## rewrite constraints.txt from the current environment
	$(PY) -m pip freeze --exclude-editable | grep -v '^crmlab' > constraints.txt

clean:
	rm -rf $(VENV) build dist .pytest_cache

# Grade a class's exercise notebooks (a folder of .ipynb, sub-folders per student, or a zip):
#   make grade SUBMISSIONS=hand-ins/ch2 CHAPTER=ch2 [OUT=gradebook] [TIMEOUT=60] [TRUSTED=1]
# Each submission runs in a bubblewrap sandbox (Debian/Ubuntu: sudo apt-get install bubblewrap);
# TRUSTED=1 runs without it (trusted submissions only; the report says so).
.PHONY: grade
grade: $(STAMP)  ## grade submitted notebooks: grades.csv, report.html, feedback/
	@test -n "$(SUBMISSIONS)" -a -n "$(CHAPTER)" || \
		{ echo "用法 / usage: make grade SUBMISSIONS=文件夹或zip CHAPTER=ch2 [OUT=gradebook] [TIMEOUT=60]"; exit 2; }
	$(PY) -m crmlab.grade "$(SUBMISSIONS)" --chapter "$(CHAPTER)" --out "$(or $(OUT),gradebook)" --timeout "$(or $(TIMEOUT),60)" $(if $(TRUSTED),--trusted)

# The class server (Linux, as root): JupyterHub for a roster of students, hand-in, feedback.
#   make hub ROSTER=class.csv [HUB_ARGS="--ip 0.0.0.0 --port 8000 --lecturer teacher"]
#   make hub-update                      course updates into every workspace (answers kept)
#   make grade-exchange CHAPTER=ch2      collect the hand-ins, grade them (gradebook/ch2)
#   make return-feedback CHAPTER=ch2     feedback_ch2.md into each student's workspace
.PHONY: hub hub-update grade-exchange return-feedback
hub:  ## the class server on JupyterHub for ROSTER (CSV 学号,姓名); see README
	@test -n "$(ROSTER)" || { echo "用法 / usage: make hub ROSTER=名单.csv [HUB_ARGS=...]"; exit 2; }
	$(PYTHON) course.py hub start --roster "$(ROSTER)" $(HUB_ARGS)

hub-update:  ## copy the course to the class server; new exercises into every workspace
	$(PYTHON) course.py hub update $(HUB_ARGS)

grade-exchange: $(STAMP)  ## grade the class server's hand-ins of CHAPTER (gradebook/CHAPTER)
	@test -n "$(CHAPTER)" || { echo "用法 / usage: make grade-exchange CHAPTER=ch2"; exit 2; }
	$(PYTHON) course.py hub grade "$(CHAPTER)" --timeout "$(or $(TIMEOUT),60)" $(HUB_ARGS)

return-feedback:  ## each student's feedback of CHAPTER into their workspace
	@test -n "$(CHAPTER)" || { echo "用法 / usage: make return-feedback CHAPTER=ch2"; exit 2; }
	$(PYTHON) course.py hub return "$(CHAPTER)" $(HUB_ARGS)
