#!/usr/bin/env bash
# Checks the project's shell scripts with shellcheck (Debian package shellcheck, which
# cloudbus_install_prerequisites installs). test.sh runs it before building; it also runs alone
# (`scripts/lint-shell.sh`, no arguments). To check one file: `shellcheck -x FILE` from the root.
#
# A shell script is a file git knows of (tracked, or new and not ignored) whose name ends in .sh
# or whose first line is a sh or bash shebang. Prints shellcheck's findings and exits non-zero
# if there are any. A finding for a construct that is meant is disabled on its line with
# `# shellcheck disable=SCnnnn` and a comment saying why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Writes the project's shell scripts, NUL-terminated.
shell_scripts() {
    # #!/bin/sh, #!/bin/bash -e, #!/usr/bin/env bash, ...
    local shebang='^#![[:space:]]*[^[:space:]]*(/|[[:space:]]|env[[:space:]]+)(ba|da)?sh'
    shebang+='([[:space:]]|$)'
    local f first
    while IFS= read -r -d '' f; do
        [[ -f $f ]] || continue # tracked but deleted in the work tree
        if [[ $f == *.sh ]]; then
            printf '%s\0' "$f"
            continue
        fi
        first=''
        IFS= read -r first <"$f" 2>/dev/null || true
        if [[ $first =~ $shebang ]]; then
            printf '%s\0' "$f"
        fi
    done < <(
        if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
            git ls-files -z --cached --others --exclude-standard
        else
            # Not a git checkout (an exported tree): every file but build output and .run/.
            find . \( -name .git -o -name bin -o -name obj -o -name .run \) -prune \
                -o -type f -print0
        fi
    )
}

if ! command -v shellcheck >/dev/null 2>&1; then
    echo "shellcheck is not installed (Debian package shellcheck; ./test.sh installs it)" >&2
    exit 1
fi

mapfile -d '' scripts < <(shell_scripts)
if ((${#scripts[@]} == 0)); then
    echo "no shell scripts found" >&2
    exit 1
fi

# -x: follow `source` into the libraries (paths in `# shellcheck source=` are from the root).
if ! shellcheck -x "${scripts[@]}"; then
    echo "shellcheck found problems in the shell scripts (above)" >&2
    exit 1
fi
echo "shellcheck: no findings in ${#scripts[@]} shell scripts"
