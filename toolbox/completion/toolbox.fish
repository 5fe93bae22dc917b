# fish completion for toolbox(1). Installed as fish/vendor_completions.d/toolbox.fish.
# Names of containers and images come from podman(1), Toolbx label only;
# without podman they are simply not offered.

function __toolbox_containers
    command -q podman; or return 0
    podman ps --all --format '{{.Names}}' --filter label=com.github.containers.toolbox=true 2>/dev/null
end

function __toolbox_images
    command -q podman; or return 0
    podman images --format '{{.Repository}}:{{.Tag}}' --filter label=com.github.containers.toolbox=true 2>/dev/null | string match -v '<none>:<none>'
end

# __toolbox_untyped NAME...: the names not yet on the line (rm and rmi take
# each name once).
function __toolbox_untyped
    set -l typed (commandline -opc)
    for n in $argv
        contains -- $n $typed; or echo $n
    end
end

# The command, its subcommand (binfmt) and its arguments on the line, without
# the options and their values.
function __toolbox_words
    set -l words (commandline -opc)
    set -e words[1]
    set -l out
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        # Everything after the COMMAND of run is the command's.
        if test (count $out) -ge 2; and test $out[1] = run
            set -a out $w
            continue
        end
        switch $w
            case '-*'
                if string match -q -- '*=*' $w
                    continue
                end
                set -l cmd $out[1]
                if test (count $out) = 0
                    contains -- $w --log-level; and set skip 1
                else if contains -- $cmd create enter run
                    contains -- $w -c --container -d --distro -r --release -i --image --authfile --preserve-fds; and set skip 1
                else if test $cmd = binfmt
                    contains -- $w --name --handler; and set skip 1
                end
            case '*'
                set -a out $w
        end
    end
    test (count $out) -gt 0; and printf '%s\n' $out
    return 0
end

function __toolbox_no_command
    test (count (__toolbox_words)) = 0
end

# __toolbox_command NAME...: the command is one of NAME.
function __toolbox_command
    set -l w (__toolbox_words)
    test (count $w) -gt 0; and contains -- $w[1] $argv
end

# __toolbox_binfmt SUB: binfmt with subcommand SUB ("" for none yet).
function __toolbox_binfmt
    set -l w (__toolbox_words)
    test (count $w) -gt 0; and test $w[1] = binfmt; or return 1
    if test -z "$argv[1]"
        test (count $w) = 1
    else
        test (count $w) -gt 1; and test $w[2] = $argv[1]
    end
end

# The first positional argument of the command is still to come.
function __toolbox_first_arg
    test (count (__toolbox_words)) = 1
end

# Past the COMMAND of run: the words are the command's.
function __toolbox_run_arguments
    set -l w (__toolbox_words)
    test (count $w) -gt 1; and test $w[1] = run
end

# __toolbox_options_of NAME...: the command is one of NAME and takes options
# here (run only before its COMMAND).
function __toolbox_options_of
    set -l w (__toolbox_words)
    test (count $w) -gt 0; and contains -- $w[1] $argv; or return 1
    test $w[1] != run; or test (count $w) = 1
end

complete -c toolbox -f

# Global options.
complete -c toolbox -n __toolbox_no_command -s y -l assumeyes -d 'Answer yes to all questions'
complete -c toolbox -n __toolbox_no_command -l log-level -x -a 'trace debug info warn error fatal panic' -d 'Log messages at this level'
complete -c toolbox -n __toolbox_no_command -l log-podman -d 'Show the log output of Podman'
complete -c toolbox -n __toolbox_no_command -s v -l verbose -d 'Log at the debug level'
complete -c toolbox -n __toolbox_no_command -l version -d 'Show the version'
complete -c toolbox -n 'not __toolbox_run_arguments' -s h -l help -d 'Show the manual'

# Commands.
complete -c toolbox -n __toolbox_no_command -a create -d 'Create a new Toolbx container'
complete -c toolbox -n __toolbox_no_command -a enter -d 'Enter an existing Toolbx container'
complete -c toolbox -n __toolbox_no_command -a run -d 'Run a command in an existing Toolbx container'
complete -c toolbox -n __toolbox_no_command -a list -d 'List all existing Toolbx containers and images'
complete -c toolbox -n __toolbox_no_command -a rm -d 'Remove one or more Toolbx containers'
complete -c toolbox -n __toolbox_no_command -a rmi -d 'Remove one or more Toolbx images'
complete -c toolbox -n __toolbox_no_command -a help -d 'Display help information about Toolbx'
complete -c toolbox -n __toolbox_no_command -a binfmt -d 'Inspect, register or remove the binfmt_misc entry'

# create, enter, run.
complete -c toolbox -n '__toolbox_options_of create enter run' -s c -l container -x -a '(__toolbox_containers)' -d 'Container name'
complete -c toolbox -n '__toolbox_options_of create enter run; and not __fish_contains_opt -s i image' -s d -l distro -x -a 'arch debian fedora rhel ubuntu' -d Distribution
complete -c toolbox -n '__toolbox_options_of create enter run' -s r -l release -x -d Release
complete -c toolbox -n '__toolbox_command create; and not __fish_contains_opt -s d distro' -s i -l image -x -a '(__toolbox_images)' -d 'Base image'
complete -c toolbox -n '__toolbox_command create' -l authfile -r -F -d 'Registry credentials'
complete -c toolbox -n '__toolbox_options_of run' -l preserve-fds -x -d 'Pass this many more file descriptors'
complete -c toolbox -n '__toolbox_command enter; and __toolbox_first_arg' -a '(__toolbox_containers)' -d 'Toolbx container'
complete -c toolbox -n '__toolbox_command run; and __toolbox_first_arg' -a '(__fish_complete_command)'
complete -c toolbox -n __toolbox_run_arguments -F

# list.
complete -c toolbox -n '__toolbox_command list' -s c -l containers -d 'Only containers'
complete -c toolbox -n '__toolbox_command list' -s i -l images -d 'Only images'

# rm, rmi.
complete -c toolbox -n '__toolbox_command rm rmi' -s a -l all -d 'All of them'
complete -c toolbox -n '__toolbox_command rm rmi' -s f -l force -d 'Also those in use'
complete -c toolbox -n '__toolbox_command rm' -a '(__toolbox_untyped (__toolbox_containers))' -d 'Toolbx container'
complete -c toolbox -n '__toolbox_command rmi' -a '(__toolbox_untyped (__toolbox_images))' -d 'Toolbx image'

# help.
complete -c toolbox -n '__toolbox_command help; and __toolbox_first_arg' -a 'create enter run list rm rmi help binfmt' -d 'Help topic'

# binfmt.
complete -c toolbox -n '__toolbox_binfmt ""' -a status -d 'Show whether the entry is registered and healthy'
complete -c toolbox -n '__toolbox_binfmt ""' -a register -d 'Register (again) the entry'
complete -c toolbox -n '__toolbox_binfmt ""' -a unregister -d 'Remove the entry'
complete -c toolbox -n '__toolbox_binfmt status' -l json -d 'Print JSON'
complete -c toolbox -n '__toolbox_binfmt status; or __toolbox_binfmt register; or __toolbox_binfmt unregister' -l name -x -d 'Entry name'
complete -c toolbox -n '__toolbox_binfmt status; or __toolbox_binfmt register' -l handler -r -F -d 'Handler path'
