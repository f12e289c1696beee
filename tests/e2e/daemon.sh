# daemon.sh - private libvirt session daemons running real QEMU, for
# end-to-end tests. Source it; it never touches the host's own libvirt.
#
#   . tests/e2e/daemon.sh
#   e2e_setup                 # exports E2E_URI E2E_DIR E2E_IMG E2E_USER
#   e2e_define_vm vm1; e2e_virsh start vm1; e2e_wait_state vm1 running
#   e2e_setup vmmtest2        # a second "host"; `e2e_use vmmtest` goes back
#
# Cleanup (destroy + undefine all VMs, kill the daemons, remove the dirs)
# runs from an EXIT trap, also on INT/TERM. A test that sets its own EXIT
# trap must call e2e_cleanup from it. Optional: E2E_CAPS_CACHE=DIR keeps
# QEMU's capability cache across runs (saves ~4 s per daemon start).

_E2E_LABELS=() _E2E_USERS=() _E2E_DIRS=()

# Run a command as USER with the private environment of daemon dir DIR.
_e2e_as() {
	local user=$1 d=$2
	shift 2
	local envs=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$d/home"
		XDG_RUNTIME_DIR="$d/run" XDG_CONFIG_HOME="$d/cfg" XDG_CACHE_HOME="$d/cache")
	if ((EUID == 0)); then
		runuser -u "$user" -- "${envs[@]}" "$@"
	else
		"${envs[@]}" "$@"
	fi
}

# Pids of daemon dir DIR: libvirtd, virtlogd, QEMU all have HOME=DIR/home.
_e2e_pids() {
	grep -lsFxz "HOME=$1/home" /proc/[0-9]*/environ | cut -d/ -f3 || true
}

# Kill every process of the daemon dirs DIR... and remove the dirs.
_e2e_remove() {
	local d pids=()
	for _ in {1..50}; do
		pids=()
		for d; do mapfile -t -O "${#pids[@]}" pids < <(_e2e_pids "$d"); done
		((${#pids[@]})) || break
		kill -KILL "${pids[@]}" 2>/dev/null || true
		sleep 0.1
	done
	((${#pids[@]} == 0)) || echo "e2e: cannot kill ${pids[*]}" >&2
	rm -rf -- "$@" 2>/dev/null || true
}

# e2e_use LABEL: make the setup made by `e2e_setup LABEL` the current one.
e2e_use() {
	local i
	for i in "${!_E2E_LABELS[@]}"; do
		[[ ${_E2E_LABELS[i]} == "$1" ]] || continue
		export E2E_USER=${_E2E_USERS[i]} E2E_DIR=${_E2E_DIRS[i]}
		export E2E_IMG=$E2E_DIR/img
		export E2E_URI="qemu+unix:///session?socket=$E2E_DIR/run/libvirt/libvirt-sock"
		return 0
	done
	echo "e2e_use: no setup named '$1'" >&2
	return 1
}

# e2e_setup [USER]: start a private session daemon of USER (default vmmtest;
# as non-root always the current user, USER is then only a label).
e2e_setup() {
	local label=${1:-vmmtest} user d end src
	local caps=cache/libvirt/qemu/cache/capabilities
	user=$label
	((EUID == 0)) || user=$(id -un)
	if ! id -u "$user" >/dev/null 2>&1; then
		useradd -r -m -s /usr/sbin/nologin "$user" || id -u "$user" >/dev/null
	fi
	# Leftovers of our tests killed with SIGKILL: their owner process is gone.
	for d in /tmp/vmm-e2e.*; do
		[[ -O $d && -f $d/owner && ! -e /proc/$(<"$d/owner") ]] && _e2e_remove "$d"
	done
	# A cold QEMU capability probe costs ~4 s: reuse a cache if there is one.
	local srcs=("${E2E_CAPS_CACHE:-}" "${_E2E_DIRS[@]/%//$caps}")
	d=$(mktemp -d /tmp/vmm-e2e.XXXXXX)
	_E2E_LABELS+=("$label") _E2E_USERS+=("$user") _E2E_DIRS+=("$d")
	echo $$ >"$d/owner"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	chmod 755 "$d"
	mkdir -m 755 "$d/cfg" "$d/cache" "$d/home" "$d/img"
	mkdir -m 700 "$d/run"
	for src in "${srcs[@]}"; do
		if [[ -n $src ]] && compgen -G "$src/*.xml" >/dev/null; then
			mkdir -p "$d/$caps" && cp "$src"/*.xml "$d/$caps/" && break
		fi
	done
	((EUID != 0)) || chown -R "$user:" "$d"/{cfg,cache,home,img,run}
	e2e_use "$label"
	# The first connection autospawns `libvirtd --timeout=120` for the user.
	_e2e_as "$user" "$d" virsh -q -c qemu:///session version >/dev/null 2>&1 || true
	end=$((SECONDS + 30))
	until virsh -q -c "$E2E_URI" version >/dev/null 2>&1; do
		if ((SECONDS >= end)); then
			echo "e2e_setup: session daemon of $user did not answer in 30 s" >&2
			return 1
		fi
		sleep 0.2
	done
	if [[ -n ${E2E_CAPS_CACHE:-} ]] && ! compgen -G "$E2E_CAPS_CACHE/*.xml" >/dev/null; then
		{ mkdir -p "$E2E_CAPS_CACHE" && cp "$d/$caps"/*.xml "$E2E_CAPS_CACHE/"; } || true
	fi
}

# e2e_virsh ARGS...: virsh on the current private daemon.
e2e_virsh() {
	virsh -q -c "$E2E_URI" "$@"
}

# e2e_define_vm NAME [IMAGE [FORMAT]]: define a tiny VM (new 64M qcow2
# unless IMAGE; FORMAT is IMAGE's format, qcow2 by default).
e2e_define_vm() {
	local name=$1 img=${2:-$E2E_IMG/$1.qcow2} fmt=${3:-qcow2} x
	if (($# < 2)); then
		qemu-img create -q -f qcow2 "$img" 64M
		((EUID != 0)) || chown "$E2E_USER:" "$img"
	fi
	x=${name//&/'&amp;'} x=${x//</'&lt;'} x=${x//>/'&gt;'}
	x=${x//\'/'&apos;'} x=${x//\"/'&quot;'}
	img=${img//&/'&amp;'} img=${img//</'&lt;'} img=${img//\'/'&apos;'}
	e2e_virsh define /dev/stdin >/dev/null <<-EOF
	<domain type='qemu'>
	  <name>$x</name>
	  <memory unit='MiB'>64</memory>
	  <vcpu>1</vcpu>
	  <os><type arch='x86_64' machine='pc'>hvm</type></os>
	  <devices>
	    <disk type='file' device='disk'>
	      <driver name='qemu' type='$fmt'/>
	      <source file='$img'/>
	      <target dev='vda' bus='virtio'/>
	    </disk>
	  </devices>
	</domain>
	EOF
}

# e2e_wait_state NAME STATE [SECONDS]: wait until domstate is STATE (def. 30 s).
e2e_wait_state() {
	local st end=$((SECONDS + ${3:-30}))
	while :; do
		st=$(e2e_virsh domstate "$1" 2>&1) || true
		[[ $st == "$2" ]] && return 0
		if ((SECONDS >= end)); then
			echo "e2e_wait_state: $1 is '$st', not '$2', after ${3:-30} s" >&2
			return 1
		fi
		sleep 0.1
	done
}

# e2e_cleanup: destroy and undefine every VM, kill the daemons, remove dirs.
e2e_cleanup() {
	local d uri vm job jobs=()
	trap '' INT TERM
	# VMs first, in parallel (each destroy takes 1-2 s on this machine).
	for d in "${_E2E_DIRS[@]}"; do
		uri="qemu+unix:///session?socket=$d/run/libvirt/libvirt-sock"
		[[ -S $d/run/libvirt/libvirt-sock ]] || continue
		while IFS= read -r vm; do
			[[ -n $vm ]] || continue
			{
				virsh -q -c "$uri" destroy "$vm"
				virsh -q -c "$uri" undefine --managed-save --snapshots-metadata \
					--checkpoints-metadata "$vm"
			} >/dev/null 2>&1 &
			jobs+=($!)
		done < <(virsh -q -c "$uri" list --all --name 2>/dev/null || true)
	done
	for job in "${jobs[@]}"; do wait "$job" || true; done
	# Then the daemons (and any QEMU left): no need for a graceful stop.
	((${#_E2E_DIRS[@]} == 0)) || _e2e_remove "${_E2E_DIRS[@]}"
	_E2E_LABELS=() _E2E_USERS=() _E2E_DIRS=()
	trap - INT TERM
}
