/// A Deployment, StatefulSet or DaemonSet from the manifests, with what it
/// reads from Secrets.
package struct Workload: Equatable, Hashable, Sendable {
    package enum Kind: String, Sendable, CaseIterable {
        case deployment = "Deployment"
        case statefulSet = "StatefulSet"
        case daemonSet = "DaemonSet"
    }

    package var kind: Kind
    package var name: String
    package var namespace: String?

    package init(kind: Kind, name: String, namespace: String?) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    /// `deployment/todo-backend`, as `kubectl rollout` takes it.
    package var reference: String { "\(kind.rawValue.lowercased())/\(name)" }

    package var displayName: String { namespace.map { "\(reference) -n \($0)" } ?? reference }
}
