#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Keeps a library's folders in their order: a file may include headers of its own folder and of the folders
# before it in the list, never of one after it; every folder of the library is in the list; the library's
# README.md describes the folders in the same order. Used for engine/ and for ui/.
#
# Usage: check-layers.sh [--distinct-from OTHER_DIR] LIBRARY_DIR LIST_VARIABLE LAYER... (lowest first)
#   LIST_VARIABLE names the CMake list the layers come from (QMIGRATE_ENGINE_LAYERS), for the messages.
#   --distinct-from: no folder may share its name with a folder of OTHER_DIR. Both libraries' folders are on
#   the include path, so a shared name would make "graph/x.h" mean either library.
set -u
other=""
if [[ ${1:-} == --distinct-from ]]; then
    other=${2:?usage: $0 [--distinct-from OTHER_DIR] LIBRARY_DIR LIST_VARIABLE LAYER...}
    shift 2
fi
library=${1:?usage: $0 [--distinct-from OTHER_DIR] LIBRARY_DIR LIST_VARIABLE LAYER...}
variable=${2:?usage: $0 [--distinct-from OTHER_DIR] LIBRARY_DIR LIST_VARIABLE LAYER...}
shift 2
layers=("$@")
name=$(basename "$library")
declare -A rank
for i in "${!layers[@]}"; do
    rank[${layers[$i]}]=$i
done
problems=0

for dir in "$library"/*/; do
    folder=$(basename "$dir")
    if [[ -z ${rank[$folder]+x} ]]; then
        echo "$name/$folder/ is not in $variable ($name/CMakeLists.txt): add it where it belongs"
        problems=$((problems + 1))
    fi
    if [[ -n $other && -d $other/$folder ]]; then
        echo "$name/$folder/ has the name of $(basename "$other")/$folder/: an #include \"$folder/...\" would not say which one it means"
        problems=$((problems + 1))
    fi
done

for folder in "${layers[@]}"; do
    for file in "$library/$folder"/*.h "$library/$folder"/*.cpp; do
        [[ -e $file ]] || continue
        line=0
        while IFS= read -r text; do
            line=$((line + 1))
            [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
            included=${BASH_REMATCH[1]}
            if [[ $included != */* ]]; then
                echo "$name/$folder/$(basename "$file"):$line: #include \"$included\" names no folder (write \"<folder>/$included\")"
                problems=$((problems + 1))
                continue
            fi
            target=${included%%/*}
            if [[ -z ${rank[$target]+x} ]]; then
                continue # not a folder of this library (a lower library's, a generated file)
            fi
            if ((rank[$target] > rank[$folder])); then
                echo "$name/$folder/$(basename "$file"):$line: #include \"$included\" reaches up from $folder/ to $target/, which comes after it"
                problems=$((problems + 1))
            fi
        done <"$file"
    done
done

readme_order=$(grep -oE '^### `[a-z]+/`' "$library/README.md" | sed -E 's/^### `([a-z]+)\/`/\1/' | tr '\n' ' ')
if [[ $readme_order != "${layers[*]} " ]]; then
    echo "$name/README.md lists the folders as: ${readme_order:-nothing}"
    echo "$name/CMakeLists.txt orders them as:  ${layers[*]}"
    problems=$((problems + 1))
fi

if ((problems > 0)); then
    echo "$problems layering problem(s)"
    exit 1
fi
echo "$name: ${#layers[@]} folders, no include reaches up"
