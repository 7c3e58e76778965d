import Engine

/// A role whose steps each write a file and may notify; its variables are typed.
struct Web: Role, DeclaredVariables {
  static let name: RoleName = "web"
  var webPort = 80
  var webFlag = "a"

  static var declarations: [RoleVariable<Self>] {
    [.optional("web_port", \.webPort), .optional("web_flag", \.webFlag)]
  }

  init() {}
  init(webPort: Int) { self.webPort = webPort }

  var dependencies: [RoleInclusion] { [RoleInclusion(Common.self)] }

  var steps: [Step] {
    Step("web task", notify: "restart") {
      Put(path: "/etc/web.conf", content: "port=\(webPort) flag=\(webFlag)\n")
    }
  }

  var handlers: [Handler] {
    Handler("restart") { Run(["systemctl", "restart", "web"]) }
  }
}

/// Web's dependency.
struct Common: Role {
  static let name: RoleName = "common"
  static let variableNames: [String] = []
  init() {}
  init(from decoder: any Decoder) throws {}

  var steps: [Step] {
    Step("common task", notify: "common restart") { Put(path: "/etc/common.conf", content: "x\n") }
  }

  var handlers: [Handler] {
    Handler("common restart") { Run(["systemctl", "restart", "common"]) }
  }
}

/// A role with a listening handler (`lis : reload stack`).
struct Lis: Role {
  static let name: RoleName = "lis"
  static let variableNames: [String] = []
  init() {}
  init(from decoder: any Decoder) throws {}

  var steps: [Step] {
    Step("lis task", notify: "lis : reload stack") { Put(path: "/etc/lis", content: "1\n") }
  }

  var handlers: [Handler] {
    Handler("lis handler", listen: "reload stack") { Run(["reload", "stack"]) }
  }
}

/// A role that can be listed twice and run twice.
struct Dup: Role, DeclaredVariables {
  static let name: RoleName = "dupok"
  static let allowsDuplicates = true
  var x = "p"
  static var declarations: [RoleVariable<Self>] { [.optional("x", \.x)] }
  var steps: [Step] { Step("dup task") { Run(["echo", x]) } }
}

/// A role keyed on a typed variable, for de-duplication and precedence tests.
struct Param: Role, DeclaredVariables {
  static let name: RoleName = "param"
  var x = "default"
  static var declarations: [RoleVariable<Self>] { [.optional("x", \.x)] }
  var steps: [Step] { Step("param task") { Run(["echo", x]) } }
}

/// Two roles depending on each other: a definition error.
struct CycleA: Role {
  static let name: RoleName = "cycle_a"
  static let variableNames: [String] = []
  init() {}
  init(from decoder: any Decoder) throws {}
  var dependencies: [RoleInclusion] { [RoleInclusion(CycleB())] }
  var steps: [Step] { Step("a") { Ok() } }
}

struct CycleB: Role {
  static let name: RoleName = "cycle_b"
  static let variableNames: [String] = []
  init() {}
  init(from decoder: any Decoder) throws {}
  var dependencies: [RoleInclusion] { [RoleInclusion(CycleA.self)] }
  var steps: [Step] { Step("b") { Ok() } }
}

let testRoles: [any Role.Type] = [
  Web.self, Common.self, Lis.self, Dup.self, Param.self, CycleA.self, CycleB.self, Shop.self,
]

/// The handler showcase of the closing note: listen, a chain forward and backward, a recap.
struct Shop: Role {
  static let name: RoleName = "shop"
  static let variableNames: [String] = []
  init() {}
  init(from decoder: any Decoder) throws {}

  var steps: [Step] {
    Step("Write the shop config", notify: "Restart shop") {
      Put(path: "/etc/shop.conf", content: "workers=4\n")
    }
    Step("Check the shop user", notify: "Restart shop") { Ok() }
  }

  var handlers: [Handler] {
    Handler("Warm the cache") { Run(["echo", "warm"]) }
    Handler("Back up the database", listen: "Restart shop") { Run(["echo", "backup"]) }
    Handler("Restart shop", notify: "Reload proxy", "Warm the cache") {
      Run(["systemctl", "restart", "shop"])
    }
    Handler("Reload proxy") { Run(["systemctl", "reload", "proxy"]) }
  }
}
