namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Reads the spans out of an OTLP/HTTP protobuf trace export (ExportTraceServiceRequest), just
/// the fields a test needs: service.name, trace id and span name. Protobuf is walked by hand
/// (varints and length-delimited fields) because no OTLP proto package is in our mirror.
/// </summary>
public static class OtlpTraceReader
{
    // Field numbers from opentelemetry/proto: ExportTraceServiceRequest.resource_spans = 1;
    // ResourceSpans.resource = 1, scope_spans = 2; Resource.attributes = 1; KeyValue.key = 1,
    // value = 2; AnyValue.string_value = 1; ScopeSpans.spans = 2; Span.trace_id = 1, name = 5.
    public static IReadOnlyList<OtlpSpan> Spans(byte[] export)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(export, 1))
        {
            var service = "";
            foreach (var resource in Fields(resourceSpans, 1))
                foreach (var attribute in Fields(resource, 1))
                    if (Text(Fields(attribute, 1).FirstOrDefault()) == "service.name")
                        service = Text(Fields(attribute, 2).SelectMany(value => Fields(value, 1)).FirstOrDefault());
            foreach (var scopeSpans in Fields(resourceSpans, 2))
                foreach (var span in Fields(scopeSpans, 2))
                    spans.Add(new OtlpSpan(service, Convert.ToHexStringLower(Fields(span, 1).FirstOrDefault() ?? []), Text(Fields(span, 5).FirstOrDefault())));
        }
        return spans;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The payloads of every length-delimited field numbered <paramref name="number"/> in a message.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
            switch (wireType)
            {
                case 0: ReadVarint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == number) found.Add(message[position..(position + length)]);
                    position += length;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wireType}");
            }
        }
        return found;
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
