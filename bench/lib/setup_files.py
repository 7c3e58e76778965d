"""Writes what the three tools read, from `testhost inventory` and playbooks/dci_api.json: the
same hosts, group vars, host vars, play vars and secrets, in each tool's own format.

    python3 setup_files.py WORKDIR REPO HOST...           over ssh (from this machine)
    python3 setup_files.py --local WORKDIR REPO HOST      connection local (inside HOST)
    python3 setup_files.py --no-tracking WORKDIR REPO HOST...   auth tracking off everywhere
    python3 setup_files.py --db-password                  the database password, for testhost

Writes WORKDIR/{runner-inventory.json, runner-inventory-fresh.json, ansible-inventory.yml,
pyinfra_inventory.py, secrets.json, play_vars.json}.
"""

import json
import subprocess
import sys
from pathlib import Path

# As Tests/RunnerTests/Support/DeploymentFixture.swift: stand-in images built inside each host,
# the backup command a marker file, auth tracking on the first host only.
GROUP = "dci_api_servers"
GROUP_VARS = {
    "dci_api_container_image": "localhost/dci-control-server:latest",
    "dci_api_auth_tracking_container_image": "localhost:5000/dci-control-server:latest",
    "haproxy_container_image": "localhost/haproxy:latest",
    "dci_api_backup_command": "touch /var/tmp/dci-api-backup-marker",
}
SECRETS = {
    "vault_db_password": "db-Secr3t-value",
    "vault_s3_access_key": "AKIA-runner-test",
    "vault_s3_secret_key": "s3-Secr3t-value",
    "vault_sso_public_key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsso-test-key",
    "vault_rhdl_access_key": "rhdl-access-test",
    "vault_rhdl_secret_key": "rhdl-Secr3t-value",
}


# The test hosts' own PostgreSQL and Redis, in place of the playbook's example hosts: extra
# variables (beating the play's vars in every tool), written with the secrets, as the tests'
# `-e @testhost.json`. `testhost images` gives PostgreSQL the secrets' database password.
SERVICES = {
    "dbhost": "host.containers.internal", "dbuser": "dci", "dbname": "dci",
    "dci_redis_url": "redis://host.containers.internal:6379/0", "sso_url": "http://127.0.0.1:9",
}

TRACKING = {"first": True}


# How long a kept ssh master stays up between runs (runner's control_persist, Ansible's
# ControlPersist): long enough to outlast the other tools' runs of one round.
KEPT_SECONDS = 900


def host_vars(index):
    return {"dci_api_auth_tracking_enabled": TRACKING["first"] and index == 0}


def write(path, text):
    path.write_text(text)
    return path


def main(argv):
    local = False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--local":
            local = True
        elif argv[0] == "--no-tracking":
            TRACKING["first"] = False
        elif argv[0] == "--db-password":
            print(SECRETS["vault_db_password"])
            return
        else:
            raise SystemExit(f"setup_files: unknown option {argv[0]}")
        argv = argv[1:]
    work, repo, hosts = Path(argv[0]), Path(argv[1]), argv[2:]
    work.mkdir(parents=True, exist_ok=True)
    playbook = json.loads((repo / "playbooks/dci_api.json").read_text())
    write(work / "play_vars.json", json.dumps(playbook[0]["vars"], indent=1, sort_keys=True))
    write(work / "secrets.json", json.dumps({**SECRETS, **SERVICES}, indent=1, sort_keys=True))

    if local:
        entries = {hosts[0]: {"connection": "local"}}
    else:
        raw = subprocess.run(
            [str(repo / "scripts/testhost/testhost"), "inventory", *hosts],
            check=True, capture_output=True, text=True,
        ).stdout
        entries = json.loads(raw)["hosts"]

    # runner: its kept ssh master (the default, like Ansible's ControlPersist) held up for the
    # whole series, and, for the "fresh connection" series, closed at the end of every run
    for suffix, persist in (("", KEPT_SECONDS), ("-fresh", 0)):
        runner = {"hosts": {}, "groups": {GROUP: {"hosts": hosts, "vars": GROUP_VARS}}}
        for index, name in enumerate(hosts):
            connection = {} if local else {"control_persist": persist}
            runner["hosts"][name] = {**entries[name], **connection, "vars": host_vars(index)}
        write(work / f"runner-inventory{suffix}.json", json.dumps(runner, indent=1, sort_keys=True))

    # ansible-playbook (YAML inventory, written as JSON, which YAML reads)
    ansible_hosts = {}
    for index, name in enumerate(hosts):
        entry = entries[name]
        if local:
            settings = {"ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"}
        else:
            settings = {
                "ansible_host": entry["address"],
                "ansible_user": entry["user"],
                "ansible_port": entry["port"],
                "ansible_ssh_private_key_file": entry["identity_file"],
                "ansible_ssh_common_args": "-o IdentitiesOnly=yes -o StrictHostKeyChecking=yes "
                f"-o UserKnownHostsFile={entry['known_hosts_file']}",
            }
        ansible_hosts[name] = {**settings, **host_vars(index)}
    ansible = {"all": {"children": {GROUP: {"hosts": ansible_hosts, "vars": GROUP_VARS}}}}
    write(work / "ansible-inventory.yml", json.dumps(ansible, indent=1, sort_keys=True))

    # pyinfra (a Python inventory; group vars merged into each host's data, host vars last)
    lines = [f"{GROUP} = ["]
    for index, name in enumerate(hosts):
        entry = entries[name]
        if local:
            target, settings = "@local", {}
        else:
            target = name
            settings = {
                "ssh_hostname": entry["address"],
                "ssh_user": entry["user"],
                "ssh_port": entry["port"],
                "ssh_key": entry["identity_file"],
                "ssh_known_hosts_file": entry["known_hosts_file"],
                "ssh_strict_host_key_checking": "yes",
            }
        data = {**settings, **GROUP_VARS, **host_vars(index)}
        lines.append(f"    ({target!r}, {data!r}),")
    lines.append("]")
    write(work / "pyinfra_inventory.py", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
