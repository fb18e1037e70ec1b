#!/usr/bin/env bash
# The main job: builds the library, executes every notebook top to bottom on the embedded data and saves the executed
# copies (outputs and interactive charts) as out/notebooks/NAME.ipynb, and each as a page that opens offline in any
# browser, out/notebooks/NAME.html (markdown and LaTeX rendered, code, outputs, charts drawn, tables).
#   ./run-notebooks.sh                 full configuration (what a reader gets in VS Code)
#   ./run-notebooks.sh --quick         the small configuration the tests use
#   ./run-notebooks.sh 01-teacher      only notebooks whose name starts with the given prefix(es)
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
failed=0
for notebook in notebooks/*.dib; do
  name=$(basename "$notebook" .dib)
  if [ ${#prefixes[@]} -gt 0 ]; then
    match=0; for p in "${prefixes[@]}"; do [[ "$name" == "$p"* ]] && match=1; done
    [ $match -eq 1 ] || continue
  fi
  echo "== $name ($profile)"
  start=$(date +%s)
  # Relative #r paths resolve against the working directory, as in VS Code: run from notebooks/.
  if (cd notebooks && DISTILL_PROFILE=$profile dotnet repl --run "$name.dib" --exit-after-run \
        --output-format ipynb --output-path "../out/notebooks/$name.ipynb"); then
    echo "   ok in $(( $(date +%s) - start )) s -> out/notebooks/$name.ipynb"
    dotnet "$export_page" "out/notebooks/$name.ipynb" || failed=1
  else
    echo "   FAILED (a cell raised an error; open out/notebooks/$name.ipynb to see it)"; failed=1
  fi
done
exit $failed
