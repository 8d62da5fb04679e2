// swift-tools-version: 6.2
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "secretctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "secretctl", targets: ["secretctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // SubprocessFoundation off: its Data conveniences are unused and would link all of Foundation.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", exact: "1.0.2", traits: []),
    ],
    targets: [
        // MARK: - C
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(
            name: "CSecretctlShims",
            dependencies: ["COpenSSL"],
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),

        // MARK: - Swift layers: CLI -> Core -> Crypto -> C
        .target(
            name: "SecretctlCrypto",
            dependencies: ["COpenSSL", "CSecretctlShims"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SecretctlYAML",
            dependencies: ["CYAML"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SecretctlCore",
            dependencies: [
                "SecretctlCrypto",
                "SecretctlYAML",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "SecretctlCLI",
            dependencies: [
                "SecretctlCore",
                "SecretctlCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "secretctl",
            dependencies: ["SecretctlCLI"],
            swiftSettings: strictSwift
        ),

        // MARK: - Tests
        .testTarget(
            name: "SecretctlCryptoTests",
            dependencies: ["SecretctlCrypto"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SecretctlYAMLTests",
            dependencies: ["SecretctlYAML"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SecretctlCoreTests",
            dependencies: ["SecretctlCore", "SecretctlCrypto"],
            // The independent Python readers the tests run; not part of the test bundle.
            exclude: ["independent_decrypt.py", "team_independent_decrypt.py", "team_sealed_decrypt.py"],
            resources: [.copy("FormatVectors")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SecretctlCLITests",
            dependencies: [
                "SecretctlCLI", "SecretctlCore", "SecretctlCrypto",
                // Help tests walk the command tree's configurations.
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
