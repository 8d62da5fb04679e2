import SecretctlCLI

SecretctlMain.main()
