import Engine

/// The battery's cases on `playbooks/dci_api.json`: the role's typed variables, wherever they
/// are set (the play's `vars`, a role entry's `vars`, `-e`, the inventory), each error
/// reported where the value was given.
extension BadInputTests {
  /// Every variable of the dci_api role without a default (with `store_engine: file`).
  static let requiredDCIAPIVariables = [
    "dbhost", "dbuser", "dbpassword", "dbname", "sqlalchemy_pool_size", "sqlalchemy_max_overflow",
    "store_engine", "store_files_container", "store_components_container", "apihost", "zmq_conn",
    "max_content_length_mb", "analytics_url", "amqp_broker_url", "certification_url",
    "sso_public_key", "sso_audiences", "sso_read_only_group", "sso_url", "sso_realm",
    "rhdl_service_account_access_key", "rhdl_service_account_secret_key", "haproxy_config_dir",
  ]

  static let roleVariables = "error: role 'dci_api' variables: "

  static let roleCases: [BadInput] = [
    BadInput(
      name: "dci_api without any variable lists every required one at once",
      files: [
        "site.json": .dciAPI(DCIAPIPlaybook(withoutVars: true)),
        "inventory.json": .text(BadInput.inventory),
      ],
      arguments: BadInput.standardArguments, problems: requiredDCIAPIVariables.count,
      expected: requiredDCIAPIVariables.map {
        "@DIR@/site.json: $[0].roles[0].vars.\($0): \(roleVariables)missing required variable"
      }),
    .dciAPI(
      "a negative scale from -e", extra: ["-e", "dci_api_container_scale=-1"],
      "-e: $.dci_api_container_scale: \(roleVariables)expected an integer in 0...64, found -1"),
    .dciAPI(
      "a scale given as a word",
      DCIAPIPlaybook(vars: ["dci_api_container_scale": "four"]),
      "@DIR@/site.json: $[0].vars.dci_api_container_scale: \(roleVariables)expected an integer, found a string"
    ),
    .dciAPI(
      "a scale from -e key=value that is no integer names -e",
      extra: ["-e", "dci_api_container_scale=four"],
      "-e: $.dci_api_container_scale: \(roleVariables)expected an integer, found a string"),
    .dciAPI(
      "a pool size with a fraction", DCIAPIPlaybook(vars: ["sqlalchemy_pool_size": .double(2.5)]),
      "@DIR@/site.json: $[0].vars.sqlalchemy_pool_size: \(roleVariables)expected an integer, found 2.5"
    ),
    .dciAPI(
      "a worker count too large for an integer", extra: ["-e", #"{"gunicorn_nb_workers": 1e30}"#],
      "-e: $.gunicorn_nb_workers: \(roleVariables)expected an integer, found 1e+30, which is too large"
    ),
    .dciAPI(
      "an unterminated quote in the gunicorn arguments",
      DCIAPIPlaybook(vars: ["gunicorn_extra_cmd_args": #"--access-logformat "%(h)s %(r)s"#]),
      #"@DIR@/site.json: $[0].vars.gunicorn_extra_cmd_args: \#(roleVariables)unterminated " quote (opened at character 20)"#
    ),
    .dciAPI(
      "an unterminated quote in the backup command",
      extra: ["-e", #"{"dci_api_backup_command": "yolo backup --tag 'current"}"#],
      "-e: $.dci_api_backup_command: \(roleVariables)unterminated ' quote (opened at character 19)"
    ),
    .dciAPI(
      "a size given as a string", DCIAPIPlaybook(vars: ["max_content_length_mb": "1 GB"]),
      "@DIR@/site.json: $[0].vars.max_content_length_mb: \(roleVariables)expected an integer, found a string"
    ),
    .dciAPI(
      "zero gunicorn workers", extra: ["-e", "gunicorn_nb_workers=0"],
      "-e: $.gunicorn_nb_workers: \(roleVariables)expected a positive integer, found 0"),
    .dciAPI(
      "a store engine other than s3 or file", DCIAPIPlaybook(vars: ["store_engine": "ftp"]),
      "@DIR@/site.json: $[0].vars.store_engine: \(roleVariables)expected \"s3\" or \"file\", found 'ftp'"
    ),
    .dciAPI(
      "the s3 store without its keys",
      DCIAPIPlaybook(vars: [
        "store_s3_aws_access_key_id": .null, "store_s3_aws_secret_access_key": .null,
        "store_s3_aws_region": .null,
      ]), problems: 3,
      "$[0].roles[0].vars.store_s3_aws_access_key_id: \(roleVariables)missing required variable",
      "$[0].roles[0].vars.store_s3_aws_secret_access_key: \(roleVariables)missing required variable",
      "$[0].roles[0].vars.store_s3_aws_region: \(roleVariables)missing required variable"),
    .dciAPI(
      "audiences given as a string", DCIAPIPlaybook(vars: ["sso_audiences": "dci-api"]),
      "@DIR@/site.json: $[0].vars.sso_audiences: \(roleVariables)expected a list, found a string"),
    .dciAPI(
      "a relative HAProxy directory", extra: ["-e", "haproxy_config_dir=etc/haproxy"],
      "-e: $.haproxy_config_dir: \(roleVariables)expected an absolute path, found 'etc/haproxy'"),
    .dciAPI(
      "an HAProxy directory with a ':' (a volume separator)",
      extra: ["-e", "haproxy_config_dir=/etc/haproxy/conf.d:/etc"],
      "-e: $.haproxy_config_dir: \(roleVariables)expected a path of letters, digits and '/._+@-'"),
    .dciAPI(
      "/tmp as the HAProxy directory", extra: ["-e", "haproxy_config_dir=/tmp"],
      "-e: $.haproxy_config_dir: \(roleVariables)'/tmp' is in /tmp, which no service directory may be in"
    ),
    .dciAPI(
      "/etc as the HAProxy directory", extra: ["-e", "haproxy_config_dir=/etc"],
      "-e: $.haproxy_config_dir: \(roleVariables)'/etc' is a directory the whole system shares"),
    .dciAPI(
      "the API's own directory as the HAProxy directory",
      extra: ["-e", "haproxy_config_dir=/etc/dci-api"],
      "-e: $.haproxy_config_dir: \(roleVariables)'/etc/dci-api' overlaps /etc/dci-api, where the API's secrets are"
    ),
    .dciAPI(
      "an HAProxy main config with a blank",
      extra: ["-e", #"{"haproxy_main_config": "/etc/haproxy/my haproxy.cfg"}"#],
      "-e: $.haproxy_main_config: \(roleVariables)expected a path of letters, digits and '/._+@-'"),
    .dciAPI(
      "an HAProxy main config holding %s",
      extra: ["-e", "haproxy_main_config=/etc/haproxy/%s.cfg"],
      "-e: $.haproxy_main_config: \(roleVariables)expected a path of letters, digits and '/._+@-'"),
    .dciAPI(
      "a system file as the HAProxy main config", extra: ["-e", "haproxy_main_config=/etc/issue"],
      "-e: $.haproxy_main_config: \(roleVariables)expected a file named *.cfg, found '/etc/issue'"),
    .dciAPI(
      "an HAProxy main config directly in /etc",
      extra: ["-e", "haproxy_main_config=/etc/haproxy.cfg"],
      "-e: $.haproxy_main_config: \(roleVariables)its directory: '/etc' is a directory the whole system shares"
    ),
    .dciAPI(
      "an unknown variable in the role entry, with a suggestion",
      DCIAPIPlaybook(role: ["role": "dci_api", "vars": ["dbhots": "db"]]),
      "@DIR@/site.json: $[0].roles[0].vars.dbhots: \(roleVariables)unknown key 'dbhots'; did you mean 'dbhost'?"
    ),
    .dciAPI(
      "a misspelt secret reference, with a suggestion",
      DCIAPIPlaybook(vars: ["dbpassword": "{{ vault_db_pasword }}"]),
      "@DIR@/site.json: $[0].vars.dbpassword: error: role 'dci_api' variable 'dbpassword': undefined variable 'vault_db_pasword'; did you mean 'vault_db_password'?"
    ),
    .dciAPI(
      "a reference cycle between role variables",
      DCIAPIPlaybook(vars: ["dbname": "{{ dbuser }}", "dbuser": "{{ dbname }}"]), problems: 2,
      "@DIR@/site.json: $[0].vars.dbname: error: role 'dci_api' variable 'dbname': variable reference cycle: dbuser -> dbname -> dbuser",
      "@DIR@/site.json: $[0].vars.dbuser: error: role 'dci_api' variable 'dbuser': variable reference cycle: dbname -> dbuser -> dbname"
    ),
    .dciAPI(
      "a secret holding '{{' is refused without showing it",
      extra: ["-e", #"{"vault_db_password": "pa{{ss w0rd}}"}"#], absent: ["w0rd"],
      "-e: $.vault_db_password: error: role 'dci_api' variable 'dbpassword': in the value of 'vault_db_password': a '{{ }}' in the value is not a '{{ name }}' reference; the text is not shown because the variable is secret"
    ),
    .dciAPI(
      "a line break in a value of the environment file",
      extra: ["-e", #"{"dbhost": "db.example.com\nDB_PASSWORD=injected"}"#],
      "-e: $.dbhost: \(roleVariables)contains a line break, which podman's environment file cannot carry"
    ),
    .dciAPI(
      "a control character in a value of the environment file",
      DCIAPIPlaybook(vars: ["dbuser": "dci\u{7}"]),
      "@DIR@/site.json: $[0].vars.dbuser: \(roleVariables)contains a control character, which an environment file cannot carry"
    ),
    .dciAPI(
      "a line break in a Quadlet value (the image)",
      extra: ["-e", #"{"dci_api_container_image": "quay.io/x\nExec=/bin/sh"}"#],
      #"-e: $.dci_api_container_image: error: role 'dci_api' variables: expected an image reference (no blanks or control characters, not starting with '-'), found "quay.io/x\nExec=/bin/sh""#
    ),
    .dciAPI(
      "a line break in a Quadlet value (the network)",
      DCIAPIPlaybook(vars: ["dci_api_container_network": "quadlet.network\nPublishPort=22:22"]),
      #"@DIR@/site.json: $[0].vars.dci_api_container_network: error: role 'dci_api' variables: expected a name of letters, digits, '-', '_' or '.', found "quadlet.network\nPublishPort=22:22""#
    ),
    .dciAPI(
      "an image that reads as an option", extra: ["-e", "haproxy_container_image=--privileged"],
      "-e: $.haproxy_container_image: \(roleVariables)expected an image reference"),
    .dciAPI(
      "a lone ';' in the gunicorn command line",
      DCIAPIPlaybook(vars: ["gunicorn_extra_cmd_args": "--log-level debug ; rm -rf /"]),
      "@DIR@/site.json: $[0].vars.gunicorn_extra_cmd_args: \(roleVariables)contains a lone ';', which systemd reads as a command separator"
    ),
    .dciAPI(
      "an inventory host variable of the wrong type",
      DCIAPIPlaybook(vars: ["dbuser": .null]),
      inventory: #"{"hosts": {"h1": {"connection": "local", "vars": {"dbuser": 5}}}}"#,
      "@DIR@/inventory.json: $.hosts.h1.vars.dbuser: \(roleVariables)expected a string, found an integer"
    ),
    .dciAPI(
      "an inventory group variable of the wrong type",
      DCIAPIPlaybook(vars: ["dbname": .null]),
      inventory:
        #"{"hosts": {"h1": {"connection": "local"}}, "groups": {"api": {"hosts": ["h1"], "vars": {"dbname": ["dci"]}}}}"#,
      "@DIR@/inventory.json: $.groups.api.vars.dbname: \(roleVariables)expected a string, found a list"
    ),
  ]
}
