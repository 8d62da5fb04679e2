import SecretctlCLI

await SecretctlMain.main()
