using System.CommandLine;
using System.Text.Json;
using CloudBus.Messages.Broker;
using CloudBus.Security;

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
        var definitions = new Option<bool>("--definitions")
        {
            Description = "Print RabbitMQ definitions (JSON, passwords included, read from the files) for rabbitmqctl import_definitions instead of commands.",
        };
        var broker = new Command("broker", "Prints the rabbitmqctl commands for one broker user per service.") { virtualHost, secrets, definitions };
        broker.SetAction(result =>
        {
            var vhost = result.GetValue(virtualHost)!;
            var folder = result.GetValue(secrets)!;
            if (result.GetValue(definitions)) return PrintDefinitions(vhost, folder);
            Console.Out.WriteLine("# One broker user per CloudBus service, limited to its own queues and the exchanges it uses.");
            foreach (var service in BrokerPermissions.All)
            {
                var user = UserOf(service);
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

    /// <summary>The users and their permissions as a definitions file: one import creates or updates them all.</summary>
    private static int PrintDefinitions(string vhost, string folder)
    {
        var users = new List<object>();
        var permissions = new List<object>();
        foreach (var service in BrokerPermissions.All)
        {
            var user = UserOf(service);
            string password;
            try
            {
                password = SecretFile.Read(Path.Combine(folder, $"{user}.password"), $"the password of {user}");
            }
            catch (SecretFileException exception)
            {
                Console.Error.WriteLine($"cloudbus: {exception.Message}");
                return ExitCodes.Failed;
            }
            users.Add(new { name = user, password, tags = Array.Empty<string>() });
            permissions.Add(new { user, vhost, configure = service.Configure, write = service.Write, read = service.Read });
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(new { users, permissions }, IndentedJson));
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>The broker user of a service: <c>cloudbus-host-monitor</c>.</summary>
    private static string UserOf(ServicePermissions service) => $"cloudbus-{service.Service}";

    // Single quotes for the shell: the regexes hold $, | and parentheses.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
