using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Distill.Tests.Data.Ecg;

/// <summary>A tiny HTTP server on 127.0.0.1 serving fixed files, honouring "Range: bytes=N-", recording each request.</summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, byte[]> files;
    private readonly Task loop;

    private readonly bool honourRange;

    public LoopbackFileServer(Dictionary<string, byte[]> files, bool honourRange = true)
    {
        this.files = files;
        this.honourRange = honourRange;
        int port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/mitdb/1.0.0/");
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public Uri BaseUrl { get; }

    /// <summary>Requests as "file range" (range empty when absent).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            string name = context.Request.Url!.AbsolutePath.Split('/')[^1];
            string? range = context.Request.Headers["Range"];
            Requests.Enqueue($"{name} {range}".Trim());
            var response = context.Response;
            if (!files.TryGetValue(name, out var body))
            {
                response.StatusCode = 404;
                response.Close();
                continue;
            }
            long start = honourRange && range is { } r && r.StartsWith("bytes=") ? long.Parse(r[6..].TrimEnd('-')) : 0;
            if (start > 0)
            {
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {start}-{body.Length - 1}/{body.Length}";
            }
            response.ContentLength64 = body.Length - start;
            await response.OutputStream.WriteAsync(body.AsMemory((int)start));
            response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
