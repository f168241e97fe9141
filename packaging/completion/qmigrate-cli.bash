# bash completion for qmigrate-cli.
# Commands and options are read from the program's own --help, so they are always the installed version's.
# Revision ids, branch labels (and label@head) come from the project the command line names (-c, -n, or
# $ALEMBIC_CONFIG / ./alembic.ini), read quietly with `history --json`, which reads the revision files only.

# The names of every option in a --help text, or with "valued" only those taking a value.
_qmigrate_cli_options()
{
    local filter='.'
    [[ $2 == valued ]] && filter='[<A-Z][A-Z>]'
    sed -n '/^  -/{s/^  //;s/   .*//;p}' <<<"$1" | grep -e "$filter" |
        sed -e 's/ <[^>]*>//g' -e 's/ [A-Z][A-Z]*//g' -e 's/,//g'
}

_qmigrate_cli_revisions()
{
    "$@" history --json 2>/dev/null | awk '
        /"branch_labels": \[/ { labels = 1; next }
        labels && /\]/ { labels = 0; next }
        labels { gsub(/[ ",]/, ""); if ($0 != "") { print $0; print $0 "@head" }; next }
        /"revision": "/ { sub(/.*"revision": "/, ""); sub(/".*/, ""); print }
    ' | sort -u
    printf '%s\n' head heads base current
}

_qmigrate_cli()
{
    local cur prev words cword
    _init_completion || return

    local program=${words[0]} command='' i
    local -a global=("$program")
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -c | --config | -n | --name)
                global+=("${words[i]}" "${words[i + 1]}")
                ((i++))
                ;;
            --url | --python) ((i++)) ;;
            -*) ;;
            *)
                command=${words[i]}
                break
                ;;
        esac
    done

    local help
    if [[ -z $command ]]; then
        help=$("$program" --help 2>/dev/null)
    else
        help=$("$program" "$command" --help 2>/dev/null)
    fi

    case $prev in
        -c | --config)
            [[ -z $command ]] && _filedir ini && return
            ;;
        --version-path)
            _filedir -d
            return
            ;;
        --head | --depends-on | --revision)
            mapfile -t COMPREPLY < <(compgen -W "$(_qmigrate_cli_revisions "${global[@]}")" -- "$cur")
            return
            ;;
    esac
    if [[ $prev == -* ]] && _qmigrate_cli_options "$help" valued | tr ' ' '\n' | grep -qxe "$prev"; then
        return # a value nothing can guess: a message, a URL, a number
    fi

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_qmigrate_cli_options "$help")" -- "$cur")
        return
    fi
    if [[ -z $command ]]; then
        local commands
        commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' <<<"$help")
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        return
    fi
    case $command in
        show | edit | upgrade | downgrade | stamp | merge)
            mapfile -t COMPREPLY < <(compgen -W "$(_qmigrate_cli_revisions "${global[@]}")" -- "$cur")
            ;;
        init)
            _filedir -d
            ;;
    esac
}
complete -F _qmigrate_cli qmigrate-cli
