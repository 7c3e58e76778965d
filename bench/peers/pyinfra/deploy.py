"""The dci_api + haproxy roles as a pyinfra deploy, step for step as the Swift roles
(Sources/Roles/HAProxy/HAProxy.swift, Sources/Roles/DCIAPI/DCIAPI.swift), rendering the same
Jinja2 templates as the Ansible peer (../files), so every file is byte-identical.

Variables, lowest precedence first, as runner and Ansible take them: the roles' defaults <
inventory data (group vars, then host vars, merged by the generated inventory) < the play's
`vars` of playbooks/dci_api.json (file given as --data bench_play_vars=PATH) < --data
overrides (ansible-playbook's and runner's -e). Secrets: --data bench_secrets=PATH, the same
JSON file that runner and ansible-playbook read with -e @PATH; the play vars refer to them as
"{{ vault_… }}", resolved here.

Handlers: pyinfra has none; they are operations at the end, in the roles' handler order, each
run only when one of the operations that would notify it changed something (_if=any_changed).
pyinfra has no become on its own here: the connection is root, and config.SUDO mirrors the
play's `become: true` (sudo -n, as runner and ansible-playbook do).
"""

import hashlib
import json
import re
import shlex
from io import BytesIO
from pathlib import Path

from pyinfra import config, host, inventory
from pyinfra.api import FactBase, FileUploadCommand, StringCommand, operation
from pyinfra.api.util import get_template
from pyinfra.facts.files import File, Sha1File
from pyinfra.operations import files, systemd
from pyinfra.operations.util import any_changed

config.SUDO = True

FILES = Path(__file__).resolve().parent.parent / "files"
QUADLET_DIR = "/etc/containers/systemd"
JINJA = {"trim_blocks": True}  # ansible's template module default

# --- variables ---------------------------------------------------------------------------------

HAPROXY_DEFAULTS = {
    "haproxy_container_image": "docker.io/library/haproxy:3.0",
    "haproxy_main_config": "/etc/haproxy/haproxy.cfg",
    "haproxy_config_dir": "/etc/haproxy/conf.d",
    "haproxy_container_network": "quadlet.network",
    "haproxy_published_port": 8080,
    "haproxy_default_backend": "dci_api",
    "haproxy_unit_name": "haproxy",
}

DCI_API_DEFAULTS = {
    "dci_api_container_image": "quay.io/distributedci/dci-control-server:latest",
    "dci_api_auth_tracking_container_image": None,
    "dci_api_container_network": "quadlet.network",
    "dci_api_container_scale": 4,
    "dci_api_auth_tracking_enabled": True,
    "dci_redis_url": "redis://localhost:6379/0",
    "gunicorn_nb_workers": 1,
    "gunicorn_worker_connections": 100,
    "gunicorn_max_requests": 0,
    "gunicorn_max_requests_jitter": 0,
    "gunicorn_timeout": 30,
    "gunicorn_graceful_timeout": 90,
    "gunicorn_extra_cmd_args": "",
    "store_s3_aws_access_key_id": None,
    "store_s3_aws_secret_access_key": None,
    "store_s3_aws_region": None,
    "store_s3_endpoint_url": None,
    "store_s3_signature_version": None,
    "api_debug": None,
    "api_log_level": None,
    "jsonify_prettyprint_regular": None,
    "rhdl_api_url": "https://api.rhdl.distributed-ci.io/api/v1",
    "haproxy_config_dir": "/etc/haproxy/conf.d",
    "haproxy_container_image": "docker.io/library/haproxy:3.0",
    "haproxy_main_config": "/etc/haproxy/haproxy.cfg",
    "dci_api_backup_command": "yolo backup --tag current",
}

REFERENCE = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")


def resolve(value, scope):
    """A play var that is exactly "{{ name }}" takes that variable (runner's rule)."""
    if isinstance(value, str):
        match = REFERENCE.match(value)
        if match:
            return scope[match.group(1)]
    return value


def variables():
    overrides = dict(inventory.get_override_data())
    secrets = json.loads(Path(overrides.pop("bench_secrets")).read_text())
    play = json.loads(Path(overrides.pop("bench_play_vars")).read_text())
    inventory_data = {k: v for k, v in host.data.dict().items() if not k.startswith("ssh_")}
    for key in list(inventory_data):
        if key in overrides or key.startswith("bench_"):
            del inventory_data[key]
    scope = {**DCI_API_DEFAULTS, **inventory_data, **secrets}
    play = {key: resolve(value, scope) for key, value in play.items()}
    # the secrets file is runner's and Ansible's `-e @file`: above the play's vars
    v = {**DCI_API_DEFAULTS, **inventory_data, **play, **secrets, **overrides}
    return v


V = variables()
# The role dependency: haproxy gets the API's network and backend as parameters (role vars).
H = {
    **HAPROXY_DEFAULTS,
    **{k: V[k] for k in HAPROXY_DEFAULTS if k in V},
    "haproxy_container_network": V["dci_api_container_network"],
    "haproxy_default_backend": "dci_api",
}
SCALE = int(V["dci_api_container_scale"])
TRACKING = bool(V["dci_api_auth_tracking_enabled"])


# --- facts and operations pyinfra does not have ------------------------------------------------


class PodmanImageExists(FactBase):
    """True when podman has the image (`podman image exists`)."""

    def command(self, reference):
        return f"podman image exists {shlex.quote(reference)} && echo yes || echo no"

    def process(self, output):
        return list(output)[-1].strip() == "yes"


class RunningTemplateInstances(FactBase):
    """Instance numbers of a template unit that are active, activating or reloading."""

    default = list

    def command(self, template):
        return (
            "systemctl list-units --all --plain --no-legend --full --type=service -- "
            + shlex.quote(f"{template}*.service")
        )

    def process(self, output):
        running = []
        for line in output:
            fields = line.split()
            if len(fields) >= 3 and fields[2] in ("active", "activating", "reloading"):
                match = re.fullmatch(r".*@([0-9]+)\.service", fields[0])
                if match:
                    running.append(int(match.group(1)))
        return running


class TemplateInstanceLinks(FactBase):
    """Instance numbers of the links `name@N.kind` in a directory."""

    default = list

    def command(self, directory, prefix, suffix):
        return (
            f"find {shlex.quote(directory)} -mindepth 1 -maxdepth 1 -type l "
            f"-name {shlex.quote(prefix + '*' + suffix)} -printf '%f\\n' || true"
        )

    def process(self, output):
        found = []
        for line in output:
            match = re.fullmatch(r".*@([0-9]+)\.[a-z]+", line.strip())
            if match:
                found.append(int(match.group(1)))
        return found


@operation()
def podman_image(reference):
    """Pull the image when it is missing (runner's podman_image)."""
    if host.get_fact(PodmanImageExists, reference=reference):
        host.noop(f"{reference} is present")
    else:
        yield StringCommand("podman", "image", "pull", "--", reference)


@operation()
def validated_template(src, dest, mode, validate, **data):
    """A template whose new content must pass `validate` (%s: the new file) before it replaces
    the old one, as Ansible's and runner's `template` with `validate`."""
    body = get_template(str(src), dict(JINJA)).render(data).encode()
    remote = host.get_fact(File, path=dest)
    same = remote and host.get_fact(Sha1File, path=dest) == hashlib.sha1(body).hexdigest()
    if same:
        if remote["mode"] != mode:
            yield StringCommand("chmod", str(mode), dest)
        else:
            host.noop(f"{dest} is up to date")
        return
    new = f"{dest}.pyinfra-new"
    yield FileUploadCommand(BytesIO(body), new, remote_temp_filename=host.get_temp_filename(new))
    yield StringCommand("chmod", str(mode), new)
    check = " ".join(shlex.quote(part) for part in validate.replace("%s", new).split())
    yield f"{check} || {{ rm -f {shlex.quote(new)}; exit 1; }}"
    yield StringCommand("mv", "-f", new, dest)


@operation()
def stop_instances_beyond(template, keep):
    """Stop the running instances of `template` numbered `keep` and up."""
    excess = sorted(n for n in host.get_fact(RunningTemplateInstances, template=template) if n >= keep)
    if excess:
        yield StringCommand("systemctl", "stop", "--", *[f"{template}{n}.service" for n in excess])
    else:
        host.noop(f"no running instance of {template} beyond {keep}")


@operation()
def remove_instance_links_beyond(directory, prefix, suffix, keep):
    """Remove the instance links numbered `keep` and up, then reload systemd."""
    found = host.get_fact(TemplateInstanceLinks, directory=directory, prefix=prefix, suffix=suffix)
    excess = sorted(n for n in found if n >= keep)
    if excess:
        yield StringCommand("rm", "-f", "--", *[f"{directory}/{prefix}{n}{suffix}" for n in excess])
        yield "systemctl daemon-reload"
    else:
        host.noop("no instance link beyond the scale")


@operation(is_idempotent=False)
def restart_units(units, daemon_reload=True):
    """A handler: `systemctl restart` (which starts a unit that is not running)."""
    if daemon_reload:
        yield "systemctl daemon-reload"
    yield StringCommand("systemctl", "restart", "--", *units)


@operation(is_idempotent=False)
def reload_unit(unit):
    """A handler: reload when running, else start (Ansible's and runner's `reloaded`)."""
    quoted = shlex.quote(unit)
    yield f"if systemctl is-active -q {quoted}; then systemctl reload {quoted}; else systemctl start {quoted}; fi"


def quadlet(name, template, notify_vars):
    return files.template(
        name=f"Declare {name}",
        src=str(FILES / template),
        dest=f"{QUADLET_DIR}/{name}",
        mode=644,
        jinja_env_kwargs=dict(JINJA),
        **notify_vars,
    )


def haproxy_validation(mounts):
    arguments = ["podman run --rm --network none --entrypoint haproxy",
                 "-v /etc/resolv.conf:/etc/resolv.conf:ro"]
    checks = []
    for host_path, container_path in mounts:
        arguments.append(f"-v {host_path}:{container_path}:ro")
        checks.append(f"-f {container_path}")
    return " ".join(arguments + [H["haproxy_container_image"], "-c"] + checks)


# --- role haproxy ------------------------------------------------------------------------------

main_config = H["haproxy_main_config"]
main_dir = main_config.rsplit("/", 1)[0] or "/"
files.directory(name="haproxy: Create the HAProxy config directories", path=main_dir, mode=755)
if H["haproxy_config_dir"] != main_dir:
    files.directory(
        name="haproxy: Create the HAProxy fragments directory", path=H["haproxy_config_dir"], mode=755
    )
restart_haproxy = []
if H["haproxy_container_network"].endswith(".network"):
    restart_haproxy.append(quadlet(H["haproxy_container_network"], "quadlet.network.j2", H))
podman_image(name="haproxy: Pull the HAProxy image", reference=H["haproxy_container_image"])
reload_haproxy = [
    validated_template(
        name="haproxy: Render the main HAProxy config",
        src=FILES / "haproxy.cfg.j2",
        dest=main_config,
        mode=644,
        validate=haproxy_validation([("%s", "/usr/local/etc/haproxy/haproxy.cfg")]),
        **H,
    )
]
restart_haproxy.append(quadlet(f"{H['haproxy_unit_name']}.container", "haproxy.container.j2", H))
systemd.daemon_reload(
    name="haproxy: Reload systemd for the changed Quadlet units", _if=any_changed(*restart_haproxy)
)
haproxy_service = f"{H['haproxy_unit_name']}.service"
systemd.service(name="haproxy: Start HAProxy", service=haproxy_service, running=True)

# --- role dci_api ------------------------------------------------------------------------------

files.directory(name="dci_api: Create the configuration directory", path="/etc/dci-api", mode=755)
environment = files.template(
    name="dci_api: Render the environment file",
    src=str(FILES / "dci-api.env.j2"),
    dest="/etc/dci-api/dci-api.env",
    mode=600,
    jinja_env_kwargs=dict(JINJA),
    **V,
)
restart_api = [environment]
restart_tracking = [environment]
podman_image(name="dci_api: Pull the API image", reference=V["dci_api_container_image"])
api_template = quadlet("dci-api@.container", "dci-api@.container.j2", V)
restart_api.append(api_template)
backend_validation = haproxy_validation(
    [
        (V["haproxy_main_config"], "/usr/local/etc/haproxy/haproxy.cfg"),
        ("%s", "/usr/local/etc/haproxy/conf.d/10_backend_dci_api.cfg"),
    ]
)
reload_haproxy.append(
    validated_template(
        name="dci_api: Write the HAProxy backend",
        src=FILES / "10_backend_dci_api.cfg.j2",
        dest=f"{V['haproxy_config_dir']}/10_backend_dci_api.cfg",
        mode=644,
        validate=backend_validation,
        **V,
    )
)
stop_instances_beyond(name="dci_api: Stop the API instances beyond the scale", template="dci-api@", keep=SCALE)
unit_changes = [api_template]
for index in range(SCALE):
    unit_changes.append(
        files.link(
            name=f"dci_api: Scale the API instances to {SCALE} ({index})",
            path=f"{QUADLET_DIR}/dci-api@{index}.container",
            target="dci-api@.container",
            symbolic=True,
        )
    )
unit_changes.append(
    remove_instance_links_beyond(
        name="dci_api: Remove the API instance links beyond the scale",
        directory=QUADLET_DIR, prefix="dci-api@", suffix=".container", keep=SCALE,
    )
)
if TRACKING:
    for unit, template in (
        ("dci-api-auth-tracking.image", "dci-api-auth-tracking.image.j2"),
        ("dci-api-auth-tracking.container", "dci-api-auth-tracking.container.j2"),
    ):
        operation_meta = quadlet(unit, template, V)
        restart_tracking.append(operation_meta)
        unit_changes.append(operation_meta)
systemd.daemon_reload(
    name="dci_api: Reload systemd for the changed Quadlet units", _if=any_changed(*unit_changes)
)
instances = [f"dci-api@{index}.service" for index in range(SCALE)]
for unit in instances:
    systemd.service(name=f"dci_api: Start the API instances ({unit})", service=unit, running=True)
if TRACKING:
    systemd.service(
        name="dci_api: Start the auth tracking sidecar",
        service="dci-api-auth-tracking.service",
        running=True,
    )

# --- handlers, in the roles' order -------------------------------------------------------------

restart_units(
    name="handler haproxy: Restart haproxy", units=[haproxy_service], _if=any_changed(*restart_haproxy)
)
reload_unit(name="handler haproxy: Reload haproxy", unit=haproxy_service, _if=any_changed(*reload_haproxy))
backup = V["dci_api_backup_command"].split()
if backup:
    from pyinfra.operations import server

    server.shell(
        name="handler dci_api: Run yolo backup with 'current' tag",
        commands=[" ".join(shlex.quote(part) for part in backup)],
        _if=any_changed(*restart_api),
    )
if instances:
    restart_units(name="handler dci_api: Restart dci-api", units=instances, _if=any_changed(*restart_api))
if TRACKING:
    restart_units(
        name="handler dci_api: Restart dci-api-auth-tracking",
        units=["dci-api-auth-tracking.service"],
        _if=any_changed(*restart_tracking),
    )
