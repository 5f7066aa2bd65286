namespace CloudBus.Messages.Hosts;

/// <summary>The one reading of a BMC address (<c>host:port</c>), shared by the services that store and use it.</summary>
public static class BmcAddresses
{
    public static bool TryParse(string? address, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(address)) return false;
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1) return false;
        host = address[..colon];
        return int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535 && !host.Any(char.IsWhiteSpace);
    }

    public static bool IsValid(string? address) => TryParse(address, out _, out _);
}
