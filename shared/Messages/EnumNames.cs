namespace CloudBus.Messages;

/// <summary>
/// Reads an enum from its name only. <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>
/// also takes numbers ("7", stored as an undefined value) and comma lists ("None,NeverStop", an OR
/// of two levels): neither is a value anyone meant, so both are refused here.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var name in Enum.GetNames<TEnum>())
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse<TEnum>(name);
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>The names a value may have, for error messages.</summary>
    public static string List<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
