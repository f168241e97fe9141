#!/usr/bin/env bash
# Keeps engine/'s folders in their order: a file may include headers of its own folder and of the folders
# before it in the list, never of one after it; every folder of engine/ is in the list; engine/README.md
# describes the folders in the same order.
#
# Usage: check-engine-layers.sh ENGINE_DIR LAYER... (lowest first, as QMIGRATE_ENGINE_LAYERS)
set -u
engine=${1:?usage: $0 ENGINE_DIR LAYER...}
shift
layers=("$@")
declare -A rank
for i in "${!layers[@]}"; do
    rank[${layers[$i]}]=$i
done
problems=0

for dir in "$engine"/*/; do
    folder=$(basename "$dir")
    if [[ -z ${rank[$folder]+x} ]]; then
        echo "engine/$folder/ is not in QMIGRATE_ENGINE_LAYERS (engine/CMakeLists.txt): add it where it belongs"
        problems=$((problems + 1))
    fi
done

for folder in "${layers[@]}"; do
    for file in "$engine/$folder"/*.h "$engine/$folder"/*.cpp; do
        [[ -e $file ]] || continue
        line=0
        while IFS= read -r text; do
            line=$((line + 1))
            [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
            included=${BASH_REMATCH[1]}
            if [[ $included != */* ]]; then
                echo "engine/$folder/$(basename "$file"):$line: #include \"$included\" names no folder (write \"<folder>/$included\")"
                problems=$((problems + 1))
                continue
            fi
            target=${included%%/*}
            if [[ -z ${rank[$target]+x} ]]; then
                continue # not an engine folder (a generated file, say)
            fi
            if ((rank[$target] > rank[$folder])); then
                echo "engine/$folder/$(basename "$file"):$line: #include \"$included\" reaches up from $folder/ to $target/, which comes after it"
                problems=$((problems + 1))
            fi
        done <"$file"
    done
done

readme_order=$(grep -oE '^### `[a-z]+/`' "$engine/README.md" | sed -E 's/^### `([a-z]+)\/`/\1/' | tr '\n' ' ')
if [[ $readme_order != "${layers[*]} " ]]; then
    echo "engine/README.md lists the folders as: ${readme_order:-nothing}"
    echo "engine/CMakeLists.txt orders them as:  ${layers[*]}"
    problems=$((problems + 1))
fi

if ((problems > 0)); then
    echo "$problems layering problem(s)"
    exit 1
fi
echo "engine: ${#layers[@]} folders, no include reaches up"
