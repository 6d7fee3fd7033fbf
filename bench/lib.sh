# bench/lib.sh: what the bench scripts share. Each sources it first:
#   source "$(dirname "$0")/lib.sh"
# It sets the shell options (-euo pipefail), root (this tree) and data (the Fashion-MNIST IDX directory:
# $SPARSEVD_BENCH_DATA, else the installed copy), and defines bench_args.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SPARSEVD_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"

# bench_args NAME=DEFAULT... -- "$@": the script's positional arguments by place. Sets each NAME to the argument at
# its place, or to DEFAULT when it is absent or empty; a DEFAULT of "?MESSAGE" makes it required (MESSAGE, the
# script's usage, on stderr and exit 2 when it is missing).
bench_args() {
  local specs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do specs+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  local spec name default value
  for spec in "${specs[@]}"; do
    name="${spec%%=*}"
    default="${spec#*=}"
    value="${1:-}"
    [[ $# -gt 0 ]] && shift
    if [[ -z "$value" && "$default" == \?* ]]; then
      echo "${default#\?}" >&2
      exit 2
    fi
    printf -v "$name" '%s' "${value:-$default}"
  done
}
