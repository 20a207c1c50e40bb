#!/usr/bin/env bash
# Packs the sources of the peers that a GPU host must build itself (DeepGEMM, FlashMLA) into the
# gitignored .carry/peers-src.tar.xz, for scripts/gpu-host.sh build-peers to build there with that
# host's nvcc and torch. Only what a build reads travels: each library's package, C++/CUDA sources and
# setup.py, with the headers of the CUTLASS (and fmt) commit that it pins as a git submodule; no tests,
# docs, benchmarks or examples; each repository's licence goes with it. MANIFEST.tsv, in the archive and
# beside it, records every commit.
# The peers' sources are carried and built, never copied into this repository.
#
# usage: scripts/peer-sources.sh [--deepgemm-pinned REV] [--deepgemm-newest REV] [--flashmla REV] [--out FILE]
#                                DEEPGEMM_GIT FLASHMLA_GIT CUTLASS_GIT FMT_GIT
#   *_GIT: git directories or clones of deepseek-ai/DeepGEMM, deepseek-ai/FlashMLA, NVIDIA/cutlass and
#   fmtlib/fmt (e.g. `git clone --bare https://github.com/NVIDIA/cutlass`). A pinned submodule commit
#   missing from its git directory is replaced by that directory's HEAD, and the manifest says so.
#   --deepgemm-pinned: default 03d0be3, the DeepGEMM of the recorded H200 runs (its JIT is in Python;
#   nothing to compile); --deepgemm-newest and --flashmla: default HEAD of their git directories.
set -euo pipefail
usage="usage: scripts/peer-sources.sh [--deepgemm-pinned REV] [--deepgemm-newest REV] [--flashmla REV] [--out FILE] DEEPGEMM_GIT FLASHMLA_GIT CUTLASS_GIT FMT_GIT"
bad() { echo "peer-sources: $*" >&2; exit 2; }

# The default archive goes to this repository's .carry/ from any working directory (the git paths given
# are taken from the working directory).
dg_pinned=03d0be3 dg_newest=HEAD fm_rev=HEAD out="$(cd "$(dirname "$0")/.." && pwd)/.carry/peers-src.tar.xz"
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --deepgemm-pinned|--deepgemm-newest|--flashmla|--out)
      [ $# -ge 2 ] || bad "$1 needs a value"
      case "$1" in --deepgemm-pinned) dg_pinned=$2 ;; --deepgemm-newest) dg_newest=$2 ;; --flashmla) fm_rev=$2 ;; --out) out=$2 ;; esac
      shift 2 ;;
    -h|--help) echo "$usage"; exit 0 ;;
    -*) bad "unknown option $1 ($usage)" ;;
    *) dirs+=("$1"); shift ;;
  esac
done
[ ${#dirs[@]} -eq 4 ] || bad "four git directories are needed ($usage)"
out=$(realpath -m "$out")

# A clone or a bare repository, as the git directory that git --git-dir takes.
git_dir() { git -C "$1" rev-parse --absolute-git-dir 2>/dev/null || bad "$1 is not a git repository"; }
# One assignment a line: set -e stops at a failing $(...) only when it is the line's last.
dg_git=$(git_dir "${dirs[0]}")
fm_git=$(git_dir "${dirs[1]}")
cutlass_git=$(git_dir "${dirs[2]}")
fmt_git=$(git_dir "${dirs[3]}")
commit_of() { git --git-dir="$1" rev-parse --verify -q "$2^{commit}" || bad "no commit $2 in $1"; }
dg_pinned=$(commit_of "$dg_git" "$dg_pinned")
dg_newest=$(commit_of "$dg_git" "$dg_newest")
fm_rev=$(commit_of "$fm_git" "$fm_rev")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifest="$work/MANIFEST.tsv"
printf '# folder (the repository root in the archive)\trepository\tcommit used\tcommit pinned\n' > "$manifest"

# Paths of one commit (folders or files) under a folder of the archive. Each folder is archived as its
# own tree (`commit:path`), which keeps git from visiting the rest of the repository, whose large blobs
# a partial clone may lack.
export_paths() { # git-dir commit folder-in-archive paths...
  local git=$1 commit=$2 folder=$3; shift 3
  for path in "$@"; do
    case "$(git --git-dir="$git" cat-file -t "$commit:$path" 2>/dev/null)" in
      tree) mkdir -p "$work/$folder/$path"
            git --git-dir="$git" archive --format=tar "$commit:$path" | tar -x -C "$work/$folder/$path" ;;
      blob) mkdir -p "$(dirname "$work/$folder/$path")"
            git --git-dir="$git" cat-file blob "$commit:$path" > "$work/$folder/$path" ;;
      *) bad "$commit has no $path in $git" ;;
    esac
  done
}

# A submodule at the commit its parent pins (its gitlink), or the git directory's HEAD where that
# commit is missing; recorded either way.
export_pinned() { # parent-git parent-commit submodule-path module-git repository folder paths...
  local parent=$1 parent_commit=$2 sub=$3 git=$4 repository=$5 folder=$6; shift 6
  local pin used
  pin=$(git --git-dir="$parent" ls-tree "$parent_commit" "$sub" | awk '$2 == "commit" { print $3 }')
  [ -n "$pin" ] || bad "$parent_commit pins no submodule at $sub"
  if git --git-dir="$git" cat-file -e "$pin^{commit}" 2>/dev/null; then used=$pin
  else
    used=$(git --git-dir="$git" rev-parse HEAD)
    echo "peer-sources: $repository $pin (pinned at $sub) is not in $git; using its HEAD $used" >&2
  fi
  export_paths "$git" "$used" "$folder" "$@"
  printf '%s\t%s\t%s\t%s\n' "$folder" "$repository" "$used" "$pin" >> "$manifest"
}

# DeepGEMM as the recorded runs had it: the Python package, with CUTLASS's cute/ and cutlass/ headers
# under deep_gemm/include as its setup.py installs them (its JIT compiles with those at first call).
export_paths "$dg_git" "$dg_pinned" deepgemm-pinned deep_gemm LICENSE
printf '%s\t%s\t%s\t%s\n' deepgemm-pinned deepseek-ai/DeepGEMM "$dg_pinned" - >> "$manifest"
export_pinned "$dg_git" "$dg_pinned" third-party/cutlass "$cutlass_git" NVIDIA/cutlass deepgemm-pinned/deep_gemm include/cute include/cutlass LICENSE.txt

# DeepGEMM's newest: a torch C++ extension (csrc/python_api.cpp, header-only fmt) whose JIT compiles the
# kernels with nvcc at first call; setup.py imports scripts/generate_pyi.py. develop.sh links CUTLASS's
# headers into deep_gemm/include, where the JIT looks: relative links here.
export_paths "$dg_git" "$dg_newest" deepgemm setup.py scripts/generate_pyi.py csrc deep_gemm LICENSE
printf '%s\t%s\t%s\t%s\n' deepgemm deepseek-ai/DeepGEMM "$dg_newest" - >> "$manifest"
export_pinned "$dg_git" "$dg_newest" third-party/cutlass "$cutlass_git" NVIDIA/cutlass deepgemm/third-party/cutlass include/cute include/cutlass LICENSE.txt
export_pinned "$dg_git" "$dg_newest" third-party/fmt "$fmt_git" fmtlib/fmt deepgemm/third-party/fmt include LICENSE
for name in cute cutlass; do ln -sfn "../../third-party/cutlass/include/$name" "$work/deepgemm/deep_gemm/include/$name"; done

# FlashMLA: a torch CUDA extension (flash_mla.cuda) from csrc/, with CUTLASS's include/ and
# tools/util/include as its setup.py names them.
export_paths "$fm_git" "$fm_rev" flashmla setup.py flash_mla csrc LICENSE
printf '%s\t%s\t%s\t%s\n' flashmla deepseek-ai/FlashMLA "$fm_rev" - >> "$manifest"
export_pinned "$fm_git" "$fm_rev" csrc/cutlass "$cutlass_git" NVIDIA/cutlass flashmla/csrc/cutlass include tools/util/include LICENSE.txt

# One solid xz stream: the three CUTLASS copies differ little, and xz's window finds the repeats.
mkdir -p "$(dirname "$out")"
tar -C "$work" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - MANIFEST.tsv deepgemm-pinned deepgemm flashmla \
  | xz -T1 -9 > "$out.tmp"
mv "$out.tmp" "$out"
cp "$manifest" "${out%.tar.xz}.manifest.tsv"
echo "wrote $out ($(du -h "$out" | cut -f1)):"
column -t -s $'\t' "$manifest" 2>/dev/null || cat "$manifest"
