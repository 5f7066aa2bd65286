using System.CommandLine;
using CloudBus.Cli;
using CloudBus.Cli.Operate;

// cloudbus: the operator's command line for CloudBus HA.
var root = new RootCommand("CloudBus HA, the operator's command line.");
root.Subcommands.Add(TokenCommands.Create());
root.Subcommands.Add(CertificateCommands.Create());
root.Subcommands.Add(AccountCommands.Create());
// Talking to a running stack (StackCommand: where it is, the token, --json, exit codes).
StackCommand.AddOptions(root);
foreach (var command in StatusCommand.Create().Concat(FleetCommands.Create()).Concat(IncidentCommands.Create()))
    root.Subcommands.Add(command);
root.Subcommands.Add(HostCommands.Create());
root.Subcommands.Add(VmCommands.Create());
root.Subcommands.Add(SimCommands.Create());
root.Subcommands.Add(InstanceCommands.Create());
return await root.Parse(args).InvokeAsync();
