"""Fixtures of the benchmark (bench/README.md): VM definitions, snapshot
XMLs for redefinition, qcow2 images and test-driver host files.

Names and paths are made here, never taken from a user; they are still
escaped, and the C program builds its own XML with libxml2 as DESIGN.md
asks.
"""
import hashlib
import os
import shutil
import subprocess
import uuid
from xml.sax.saxutils import escape, quoteattr

SNAPSHOTS = 200
BIG_SNAPSHOTS = 1000  # bench-snaps-1k
CHAIN = 10
SPECIAL = 5  # bench-snaps, bench-snaps-1k and the three chains


def domain_xml(name, disk, indent=""):
    u = uuid.uuid5(uuid.NAMESPACE_URL, "vmmanager-bench/" + name)
    lines = [
        "<domain type='qemu'>",
        "  <name>%s</name>" % escape(name),
        "  <uuid>%s</uuid>" % u,
        "  <memory unit='MiB'>64</memory>",
        "  <vcpu>1</vcpu>",
        "  <os><type arch='x86_64' machine='pc'>hvm</type></os>",
        "  <devices>",
        "    <disk type='file' device='disk'>",
        "      <driver name='qemu' type='qcow2'/>",
        "      <source file=%s/>" % quoteattr(disk),
        "      <target dev='vda' bus='virtio'/>",
        "    </disk>",
        "  </devices>",
        "</domain>",
    ]
    return "".join(indent + l + "\n" for l in lines)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def snap_parent(i):
    """A branching tree: a trunk every 10th snapshot, a branch of nine
    hanging off each trunk node, and a fork in the middle of each branch."""
    if i == 0:
        return None
    if i % 10 == 0:
        return i - 10
    if i % 10 == 5:
        return i - 3
    return i - 1


def snapshot_xml(i, dom, total=SNAPSHOTS):
    running = i % 4 == 3
    parent = snap_parent(i)
    out = ["<domainsnapshot>",
           "  <name>snap-%03d</name>" % i,
           "  <description>Benchmark snapshot %d of %d: state before step %d</description>"
           % (i, total, i),
           "  <state>%s</state>" % ("running" if running else "shutoff"),
           "  <creationTime>%d</creationTime>" % (1767225600 + i * 3600)]
    if parent is not None:
        out.append("  <parent><name>snap-%03d</name></parent>" % parent)
    out += ["  <memory snapshot='%s'/>" % ("internal" if running else "no"),
            "  <disks><disk name='vda' snapshot='internal'/></disks>"]
    return "\n".join(out) + "\n" + dom + "</domainsnapshot>\n"


def vm_name(i):
    return "vm-%04d" % i


def run(argv, stdin=None):
    """Runs ARGV; fails loudly with its output if it fails or complains."""
    p = subprocess.run(argv, stdin=stdin, capture_output=True, text=True)
    if p.returncode != 0 or "error:" in p.stderr:
        raise RuntimeError("%s failed:\n%s%s" % (" ".join(argv[:4]), p.stdout, p.stderr))
    return p.stdout


def virsh_script(uri, path):
    """Runs the virsh commands in PATH, one a line, in one virsh process."""
    with open(path) as f:
        run(["virsh", "-q", "-c", uri], stdin=f)


def chown(paths, owner):
    if owner is not None:
        for p in paths:
            os.chown(p, owner[0], owner[1])


def make_template(d):
    path = os.path.join(d, "template.qcow2")
    if not os.path.exists(path):
        run(["qemu-img", "create", "-q", "-f", "qcow2", path, "64M"])
    return path


def images(d, img, names, owner):
    """A fresh empty 64 MiB qcow2 image IMG/NAME.qcow2 per name: copies of
    one that qemu-img made in D."""
    tpl = make_template(d)
    paths = [os.path.join(img, n + ".qcow2") for n in names]
    for p in paths:
        shutil.copyfile(tpl, p)
    chown(paths, owner)


def odd_name(i):
    """Layer I of bench-chain-odd: a name like no other layer's, as tools
    that name images by a hash make them (vmmanager cannot read ahead)."""
    return hashlib.sha1(b"bench-chain-odd-%d" % i).hexdigest()[:16]


def chain_images(img, owner, prefix="chain", name=None):
    """PREFIX-00.qcow2 <- PREFIX-01.qcow2 <- ... <- PREFIX-09.qcow2, or
    NAME(0).qcow2 <- ... when NAME is given."""
    name = name or (lambda i: "%s-%02d" % (prefix, i))
    paths = [os.path.join(img, name(i) + ".qcow2") for i in range(CHAIN)]
    run(["qemu-img", "create", "-q", "-f", "qcow2", paths[0], "64M"])
    for lower, upper in zip(paths, paths[1:]):
        run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", lower, "-F", "qcow2", upper])
    chown(paths, owner)
    return paths[-1]


def define_special(d, img, uri, owner):
    """bench-snaps (200 snapshots, redefined), bench-snaps-1k (1000),
    bench-chain (10 layers, shut off), bench-chain-odd (the same, layers
    named unlike) and bench-chain-live (10 layers, running)."""
    script = []
    images(d, img, ["bench-snaps", "bench-snaps-1k"], owner)
    snaps_disk = os.path.join(img, "bench-snaps.qcow2")
    big_disk = os.path.join(img, "bench-snaps-1k.qcow2")
    chain_top = chain_images(img, owner)
    live_top = chain_images(img, owner, "live")
    odd_top = chain_images(img, owner, name=odd_name)
    write(os.path.join(d, "bench-snaps.xml"), domain_xml("bench-snaps", snaps_disk))
    write(os.path.join(d, "bench-chain.xml"), domain_xml("bench-chain", chain_top))
    write(os.path.join(d, "bench-chain-live.xml"), domain_xml("bench-chain-live", live_top))
    write(os.path.join(d, "bench-chain-odd.xml"), domain_xml("bench-chain-odd", odd_top))
    script.append("define %s" % os.path.join(d, "bench-snaps.xml"))
    write(os.path.join(d, "bench-snaps-1k.xml"), domain_xml("bench-snaps-1k", big_disk))
    script.append("define %s" % os.path.join(d, "bench-snaps-1k.xml"))
    script.append("define %s" % os.path.join(d, "bench-chain.xml"))
    script.append("define %s" % os.path.join(d, "bench-chain-live.xml"))
    script.append("define %s" % os.path.join(d, "bench-chain-odd.xml"))
    script.append("start bench-chain-live")
    dom = domain_xml("bench-snaps", snaps_disk, "  ")
    for i in range(SNAPSHOTS):
        path = os.path.join(d, "snap-%03d.xml" % i)
        write(path, snapshot_xml(i, dom))
        script.append("snapshot-create bench-snaps --xmlfile %s --redefine%s"
                      % (path, " --current" if i == SNAPSHOTS - 1 else ""))
    dom = domain_xml("bench-snaps-1k", big_disk, "  ")
    for i in range(BIG_SNAPSHOTS):
        path = os.path.join(d, "big-%04d.xml" % i)
        write(path, snapshot_xml(i, dom, BIG_SNAPSHOTS))
        script.append("snapshot-create bench-snaps-1k --xmlfile %s --redefine%s"
                      % (path, " --current" if i == BIG_SNAPSHOTS - 1 else ""))
    path = os.path.join(d, "special.virsh")
    write(path, "\n".join(script) + "\n")
    virsh_script(uri, path)


def define_vms(d, img, uri, first, count, owner):
    """vm-FIRST ... vm-(FIRST+COUNT-1), each on its own image."""
    names = [vm_name(i) for i in range(first, first + count)]
    images(d, img, names, owner)
    script = []
    for n in names:
        path = os.path.join(d, n + ".xml")
        write(path, domain_xml(n, os.path.join(img, n + ".qcow2")))
        script.append("define %s" % path)
    path = os.path.join(d, "define-%d.virsh" % first)
    write(path, "\n".join(script) + "\n")
    virsh_script(uri, path)


def test_driver_file(path, count):
    """A libvirt test-driver host with COUNT VMs, a third of them running."""
    out = ["<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"]
    for i in range(1, count + 1):
        n = vm_name(i)
        dom = domain_xml(n, "/var/lib/libvirt/images/%s.qcow2" % n, "  ")
        state = 1 if i % 3 == 0 else 5
        out.append(dom.replace("  </domain>\n", "    <test:runstate>%d</test:runstate>\n"
                               "  </domain>\n" % state).rstrip("\n"))
    out.append("</node>")
    write(path, "\n".join(out) + "\n")


BIG_TREE = 2000
DEEP_CHAIN = 200


def big_parent(shape, i):
    """Snapshot I's parent in a tree of BIG_TREE: "deep", a line 2000 long;
    "bushy", a root with 1000 children, all but the last with a child."""
    if i == 0:
        return None
    if shape == "deep":
        return i - 1
    return 0 if i <= BIG_TREE // 2 else i - BIG_TREE // 2


def test_domain(name, disk_xml, state, extra=""):
    u = uuid.uuid5(uuid.NAMESPACE_URL, "vmmanager-bench/" + name)
    return ("<domain type='test'><name>%s</name><uuid>%s</uuid>"
            "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64'>hvm</type></os>"
            "<devices><disk type='file' device='disk'>%s<target dev='vda'/></disk></devices>"
            "%s%s</domain>" % (escape(name), u, disk_xml,
                               "<test:runstate>%d</test:runstate>" % state if state else "", extra))


def big_trees_file(path):
    """A test-driver host with tree-deep and tree-bushy (BIG_TREE snapshots
    each, shapes of big_parent; the current one halfway down tree-deep, the
    root of tree-bushy) and chain-deep, running, whose disk is a backing
    chain DEEP_CHAIN layers deep in its XML (libxml2, in libvirt and in
    vmmanager, refuses XML nested deeper than 256 elements)."""
    disk = "<driver name='qemu' type='qcow2'/><source file='/big/%s.qcow2'/>"
    out = ["<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"]
    for shape in ("deep", "bushy"):
        name = "tree-" + shape
        plain = test_domain(name, disk % name, 0)
        snaps = []
        for i in range(BIG_TREE):
            p = big_parent(shape, i)
            snaps.append("<test:domainsnapshot><name>s%04d</name><state>shutoff</state>"
                         "%s<creationTime>%d</creationTime><active>%d</active>%s"
                         "</test:domainsnapshot>"
                         % (i, "" if p is None else "<parent><name>s%04d</name></parent>" % p,
                            1767225600 + i, int(i == (BIG_TREE // 2 if shape == "deep" else 0)),
                            plain))
        out.append(test_domain(name, disk % name, 5, "".join(snaps)))
    chain = "<backingStore/>"
    for k in range(DEEP_CHAIN - 1, 0, -1):
        chain = ("<backingStore type='file'><format type='qcow2'/>"
                 "<source file='/big/layer-%03d.qcow2'/>%s</backingStore>" % (k, chain))
    out.append(test_domain("chain-deep", "<driver name='qemu' type='qcow2'/>"
                           "<source file='/big/layer-000.qcow2'/>" + chain, 1))
    out.append("</node>")
    write(path, "\n".join(out) + "\n")
