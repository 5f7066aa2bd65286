using System.CommandLine;
using CloudBus.Messages.Broker;

namespace CloudBus.Cli;

/// <summary>
/// <c>cloudbus accounts broker</c> prints the rabbitmqctl commands that give each control-plane
/// service a broker user of its own with only its permissions (<see cref="BrokerPermissions"/>), for
/// an operator to review and run on a broker node. Passwords are not printed: rabbitmqctl reads
/// each from the file the operator made, the one that service reads as well.
/// </summary>
internal static class AccountCommands
{
    public static Command Create()
    {
        var accounts = new Command("accounts", "Least-privilege accounts for the control-plane services.");
        var virtualHost = new Option<string>("--vhost") { Description = "The services' RabbitMQ virtual host (RabbitMq:VirtualHost).", DefaultValueFactory = _ => "cloudbus" };
        var secrets = new Option<string>("--password-dir")
        {
            Description = "Where each user's password file is (NAME.password, mode 600; the same file is that service's RabbitMq:PasswordFile).",
            DefaultValueFactory = _ => "/etc/cloudbus/rabbitmq",
        };
        var broker = new Command("broker", "Prints the rabbitmqctl commands for one broker user per service.") { virtualHost, secrets };
        broker.SetAction(result =>
        {
            var vhost = result.GetValue(virtualHost)!;
            var folder = result.GetValue(secrets)!;
            Console.Out.WriteLine("# One broker user per CloudBus service, limited to its own queues and the exchanges it uses.");
            foreach (var service in BrokerPermissions.All)
            {
                var user = $"cloudbus-{service.Service}";
                var passwordFile = Path.Combine(folder, $"{user}.password");
                // rabbitmqctl reads the password from its standard input: never on a command line.
                Console.Out.WriteLine($"rabbitmqctl add_user {user} < {Quote(passwordFile)}");
                Console.Out.WriteLine($"rabbitmqctl set_permissions -p {Quote(vhost)} {user} {Quote(service.Configure)} {Quote(service.Write)} {Quote(service.Read)}");
            }
            return ExitCodes.Ok;
        });
        accounts.Subcommands.Add(broker);
        return accounts;
    }

    // Single quotes for the shell: the regexes hold $, | and parentheses.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
