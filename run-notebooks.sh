#!/usr/bin/env bash
# The main job: builds the library, executes every notebook top to bottom on the embedded data and saves the executed
# copies (outputs and interactive charts) as out/notebooks/NAME.ipynb, and each as a page that opens offline in any
# browser, out/notebooks/NAME.html (markdown and LaTeX rendered, code, outputs, charts drawn, tables).
#   ./run-notebooks.sh                 full configuration (what a reader gets in VS Code)
#   ./run-notebooks.sh --quick         the small configuration the tests use
#   ./run-notebooks.sh 01-teacher      only notebooks whose name starts with the given prefix(es)
#   DISTILL_NOTEBOOK_JOBS=1 ./run-notebooks.sh   one notebook at a time (default: one per core, each on one torch thread,
#                                      since two notebooks of 2 threads each on 2 cores spin-wait; results do not depend on it)
#   Notebooks start longest first (each one's last time in this profile, out/notebooks/NAME.PROFILE.seconds).
set -euo pipefail
cd "$(dirname "$0")"
profile=full
prefixes=()
for arg in "$@"; do
  case "$arg" in
    --quick) profile=quick ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) prefixes+=("$arg") ;;
  esac
done
dotnet tool restore >/dev/null
dotnet build Distill.slnx -c Debug --nologo -v quiet
export_page="tools/Distill.NotebookExport/bin/Debug/net10.0/Distill.NotebookExport.dll"
mkdir -p out/notebooks
jobs=${DISTILL_NOTEBOOK_JOBS:-$(nproc)}
[ "$jobs" -gt 1 ] && export OMP_NUM_THREADS=1

# Runs one notebook, its console output kept in out/notebooks/NAME.log, and prints one line when it ends.
run_one() {
  local name=$1 start rc=0
  start=$(date +%s)
  # Relative #r paths resolve against the working directory, as in VS Code: run from notebooks/.
  (cd notebooks && DISTILL_PROFILE=$profile dotnet repl --run "$name.dib" --exit-after-run \
        --output-format ipynb --output-path "../out/notebooks/$name.ipynb") > "out/notebooks/$name.log" 2>&1 || rc=$?
  if [ $rc -eq 0 ] && dotnet "$export_page" "out/notebooks/$name.ipynb" >> "out/notebooks/$name.log" 2>&1; then
    echo $(( $(date +%s) - start )) > "out/notebooks/$name.$profile.seconds"
    echo "== $name ($profile): ok in $(( $(date +%s) - start )) s -> out/notebooks/$name.ipynb and .html"
  else
    echo "== $name ($profile): FAILED after $(( $(date +%s) - start )) s (a cell raised an error; see out/notebooks/$name.log" \
         "and out/notebooks/$name.ipynb)"
    return 1
  fi
}

names=()
for notebook in notebooks/*.dib; do
  name=$(basename "$notebook" .dib)
  if [ ${#prefixes[@]} -gt 0 ]; then
    match=0; for p in "${prefixes[@]}"; do [[ "$name" == "$p"* ]] && match=1; done
    [ $match -eq 1 ] || continue
  fi
  names+=("$name")
done
# Longest first, by the last successful run's time in this profile (out/notebooks/NAME.PROFILE.seconds; on a clone that
# has run none, the committed times of notebooks/run-seconds.tsv; a notebook timed by neither counts as longest), so that
# a long notebook does not start last while the other jobs sit idle.
if [ ${#names[@]} -gt 1 ]; then
  mapfile -t names < <(for name in "${names[@]}"; do
    seconds_file="out/notebooks/$name.$profile.seconds"
    committed=$(awk -F'\t' -v p="$profile" -v n="$name" '$1 == p && $2 == n { print $3 }' notebooks/run-seconds.tsv)
    echo "$([ -f "$seconds_file" ] && cat "$seconds_file" || echo "${committed:-999999}") $name"
  done | sort -k1,1nr -k2,2 | cut -d' ' -f2)
fi
echo "running ${#names[@]} notebook(s), $jobs at a time, profile $profile"
failed=0 running=0 begun=$(date +%s)
for name in "${names[@]}"; do
  if [ $running -ge "$jobs" ]; then wait -n || failed=1; running=$((running - 1)); fi
  run_one "$name" &
  running=$((running + 1))
done
while [ $running -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
echo "all done in $(( $(date +%s) - begun )) s$([ $failed -eq 0 ] || echo ", with failures")"
exit $failed
