using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api;

/// <summary>Turns a <see cref="HostCall{T}"/> into what a client of a real host would see.</summary>
internal static class HostCallResults
{
    public static async Task<IResult> ToResultAsync<T>(
        this Task<HostCall<T>> pending, string hostId, HttpContext http, Func<T, IResult> answer) =>
        await (await pending.ConfigureAwait(false)).ToResultAsync(hostId, http, answer).ConfigureAwait(false);

    public static async Task<IResult> ToResultAsync<T>(
        this HostCall<T> call, string hostId, HttpContext http, Func<T, IResult> answer)
    {
        if (call.Status == HostCallStatus.UnknownHost)
        {
            return Problems.UnknownHost(hostId);
        }

        if (call.ResponseDelay > TimeSpan.Zero)
        {
            var time = http.RequestServices.GetRequiredService<TimeProvider>();
            try
            {
                await Task.Delay(call.ResponseDelay, time, http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty; // the caller gave up waiting
            }
        }

        if (call.Status == HostCallStatus.Unreachable)
        {
            // A dead or cut-off host does not answer: drop the connection, which the client sees as
            // an HttpRequestException, exactly like a host that is gone.
            http.Abort();
            return Results.Empty;
        }

        return answer(call.Value!);
    }
}
