# The GPUs the gpu build can drive. ND4J's CUDA backend of that build (nd4j-cuda-11.6 1.0.0-M2.1) carries machine
# code for compute capability 3.7 to 8.6 and no PTX: 8.9 (Ada) runs the 8.6 code; 9.0 (Hopper) and newer, and
# anything older than 3.7, cannot run it. Sourced by the launchers and bin/gpu-discovery.
# Keep the range in sync with org.sparsevd.job.train.TaskGpu (the executor-side check; a test compares them).
SPARSEVD_GPU_SUPPORTED="compute capability 3.7 to 8.9 (nd4j-cuda-11.6 1.0.0-M2.1: machine code for sm_37..sm_86, no PTX)"

# sparsevd_gpu_guard PROGRAM: returns 1 after one line on stderr naming the first GPU this process may use (those
# nvidia-smi lists, or the ones CUDA_VISIBLE_DEVICES names) whose compute capability is outside that range.
# Returns 0 without checking when there is no nvidia-smi (ND4J then reports the missing driver itself), and with a
# warning when nvidia-smi cannot report compute_cap (drivers before 510).
sparsevd_gpu_guard() {
  local prog="$1" rows index uuid name cc major minor visible
  command -v nvidia-smi > /dev/null || return 0
  if ! rows="$(nvidia-smi --query-gpu=index,uuid,name,compute_cap --format=csv,noheader 2> /dev/null)"; then
    echo "$prog: warning: nvidia-smi cannot report the GPUs' compute capability (driver before 510?); the supported range, $SPARSEVD_GPU_SUPPORTED, is not checked" >&2
    return 0
  fi
  visible=",${CUDA_VISIBLE_DEVICES-},"
  visible="${visible// /}"
  while IFS=, read -r index uuid name cc; do
    index="${index// /}" uuid="${uuid// /}" cc="${cc// /}" name="$(sed 's/^ *//; s/ *$//' <<< "$name")"
    [[ -n "$index" ]] || continue
    if [[ -n "${CUDA_VISIBLE_DEVICES+set}" && "$visible" != *",$index,"* && "$visible" != *",$uuid,"* ]]; then
      continue
    fi
    major="${cc%%.*}" minor="${cc#*.}"
    if ! [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]$ ]]; then
      echo "$prog: warning: nvidia-smi gives GPU $index no compute capability ('$cc'); not checked against $SPARSEVD_GPU_SUPPORTED" >&2
      continue
    fi
    if ((major * 10 + minor < 37 || major * 10 + minor >= 90)); then
      echo "$prog: error: GPU $index ($name) has compute capability $cc; the gpu build runs on $SPARSEVD_GPU_SUPPORTED" >&2
      return 1
    fi
  done <<< "$rows"
  return 0
}
