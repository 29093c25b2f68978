# bash completion for pprofkit(1). Installed by `make install` (and the Debian package) as
# share/bash-completion/completions/pprofkit; or source it from ~/.bashrc.
#
# The words come from the command itself (`pprofkit __complete commands|flags|values FLAG`),
# so they follow its command and flag tables: commands, flags (-NAME= for those taking a value),
# the values of flags with a fixed set (-unit=, booleans, -sample_index= from the sample types
# of a profile already on the line), and file names for profiles.

_pprofkit() {
	local cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD prog=${COMP_WORDS[0]}
	local flag= value= w i
	local -a profiles=()
	COMPREPLY=()

	# The profiles already on the line (for -sample_index=): words naming readable files.
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		((i == cword)) && continue
		w=${COMP_WORDS[i]}
		[[ $w != -* && -f $w && -r $w ]] && profiles+=("$w")
	done

	# '=' is a word break in bash: -unit=k arrives as "-unit" "=" "k".
	if [[ $cur == = ]]; then
		flag=${COMP_WORDS[cword - 1]} value=
	elif ((cword >= 2)) && [[ ${COMP_WORDS[cword - 1]} == = ]]; then
		flag=${COMP_WORDS[cword - 2]} value=$cur
	elif [[ $cur == -*=* ]]; then # COMP_WORDBREAKS without '='
		flag=${cur%%=*} value=${cur#*=}
	fi
	if [[ -n $flag ]]; then
		local vals
		vals=$("$prog" __complete values "$flag" "${profiles[@]}" 2>/dev/null)
		if [[ -n $vals ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$vals" -- "$value")
			if [[ $cur == -*=* ]]; then
				COMPREPLY=("${COMPREPLY[@]/#/$flag=}")
			fi
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$value")
		fi
		return 0
	fi

	if [[ $cur == -* ]]; then
		local dashes=- name=${cur#-}
		if [[ $name == -* ]]; then
			dashes=-- name=${name#-}
		fi
		mapfile -t COMPREPLY < <(compgen -W "$("$prog" __complete flags 2>/dev/null | sed 's/^-//')" -- "$name")
		COMPREPLY=("${COMPREPLY[@]/#/$dashes}")
		# -NAME= takes its value right after the '=': no space.
		if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then
			compopt -o nospace 2>/dev/null
		fi
		return 0
	fi

	# A value flag given alone (-sample_index NAME, -o FILE): its values, else file names.
	if ((cword >= 2)) && [[ ${COMP_WORDS[cword - 1]} == -?* ]]; then
		flag=${COMP_WORDS[cword - 1]}
		w=${flag#-}
		w=${w#-}
		if "$prog" __complete flags 2>/dev/null | grep -qxF -- "-$w="; then
			local vals
			vals=$("$prog" __complete values "$flag" "${profiles[@]}" 2>/dev/null)
			if [[ -n $vals ]]; then
				mapfile -t COMPREPLY < <(compgen -W "$vals" -- "$cur")
			else
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return 0
		fi
	fi

	if ((cword == 1)); then
		mapfile -t COMPREPLY < <(compgen -W "$("$prog" __complete commands 2>/dev/null)" -- "$cur")
		return 0
	fi
	if [[ ${COMP_WORDS[1]} == help ]]; then
		((cword == 2)) && mapfile -t COMPREPLY < <(compgen -W "$("$prog" __complete commands 2>/dev/null)" -- "$cur")
		return 0
	fi
	# Profiles: file names.
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	return 0
}
complete -F _pprofkit pprofkit
