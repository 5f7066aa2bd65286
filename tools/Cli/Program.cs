using System.CommandLine;
using CloudBus.Cli;

// cloudbus: the operator's command line for CloudBus HA.
var root = new RootCommand("CloudBus HA, the operator's command line.");
root.Subcommands.Add(TokenCommands.Create());
root.Subcommands.Add(CertificateCommands.Create());
root.Subcommands.Add(AccountCommands.Create());
return await root.Parse(args).InvokeAsync();
