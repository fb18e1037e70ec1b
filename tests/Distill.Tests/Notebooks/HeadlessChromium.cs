using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Distill.Tests.Notebooks;

/// <summary>A headless Chromium driven over the DevTools protocol: opens pages, waits for them, evaluates JavaScript,
/// records script errors and every URL a page requests, takes screenshots.</summary>
/// <remarks>Only what the page tests need, over the browser's own WebSocket (no test-browser download, no npm). One
/// browser serves many pages; each page gets its own target and session.</remarks>
public sealed partial class HeadlessChromium : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> pending = new();
    private readonly ConcurrentQueue<(string? Session, string Method, JsonNode Params)> events = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private readonly Task receiving;
    private int nextId;

    /// <summary>The browser executable: <c>$CHROMIUM</c> if set, else the first of the usual Linux paths that exists.</summary>
    public static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("CHROMIUM");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return Candidates.FirstOrDefault(File.Exists);
    }

    private HeadlessChromium(Process process, string profile, Uri endpoint)
    {
        this.process = process;
        this.profile = profile;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.ConnectAsync(endpoint, CancellationToken.None).GetAwaiter().GetResult();
        receiving = Task.Run(ReceiveLoop);
    }

    /// <summary>Starts the browser with a new, empty profile and no network services.</summary>
    public static HeadlessChromium Start(string executable, TimeSpan timeout)
    {
        string profile = Directory.CreateTempSubdirectory("distill-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (DevToolsLine().Match(e.Data) is { Success: true } match) endpoint.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.BeginErrorReadLine();
        if (!endpoint.Task.Wait(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not open its DevTools endpoint within {timeout.TotalSeconds} s:\n{log}");
        }
        return new HeadlessChromium(process, profile, endpoint.Task.Result);
    }

    /// <summary>Opens <paramref name="url"/> in a new page, waits for its load event and then until
    /// <paramref name="readyExpression"/> is true (or <paramref name="timeout"/> passes), and keeps the page open.</summary>
    public async Task<Page> OpenAsync(string url, string readyExpression, TimeSpan timeout, int width = 1200, int height = 900)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string target = (await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }))["targetId"]!.GetValue<string>();
        string session = (await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }))["sessionId"]!.GetValue<string>();
        var page = new Page(this, target, session);
        foreach (string domain in new[] { "Page", "Runtime", "Network", "Log" })
            await SendAsync(domain + ".enable", new JsonObject(), session);
        await SendAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, session);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session);
        while (!page.Events("Page.loadEventFired").Any())
        {
            if (cancel.IsCancellationRequested) throw new TimeoutException($"{url} did not finish loading within {timeout.TotalSeconds} s.");
            await Task.Delay(50);
        }
        while (!cancel.IsCancellationRequested && !(await page.EvaluateAsync(readyExpression)).GetValue<bool>())
            await Task.Delay(100);
        return page;
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        int id = Interlocked.Increment(ref nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null) message["sessionId"] = session;
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            sending.Release();
        }
        var answered = await Task.WhenAny(reply.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (answered != reply.Task) throw new TimeoutException($"Chromium did not answer {method} within 60 s.");
        return await reply.Task;
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, closing.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id && pending.TryRemove(id.GetValue<int>(), out var reply))
                {
                    if (node["error"] is { } error) reply.TrySetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
                    else reply.TrySetResult(node["result"] ?? new JsonObject());
                }
                else if (node["method"] is { } method)
                    events.Enqueue((node["sessionId"]?.GetValue<string>(), method.GetValue<string>(), node["params"] ?? new JsonObject()));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser closed or is being closed.
        }
        foreach (var reply in pending.Values) reply.TrySetCanceled();
    }

    /// <summary>Closes the browser and deletes its profile.</summary>
    public void Dispose()
    {
        closing.Cancel();
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        receiving.Wait(TimeSpan.FromSeconds(5));
        socket.Dispose();
        process.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash-reporter file may still be open; the folder is under /tmp.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    /// <summary>One open page: evaluate JavaScript in it, read what went wrong, take screenshots.</summary>
    public sealed class Page(HeadlessChromium browser, string target, string session) : IAsyncDisposable
    {
        /// <summary>The events the browser sent for this page, by DevTools method name.</summary>
        public IEnumerable<JsonNode> Events(string method) =>
            browser.events.Where(e => e.Session == session && e.Method == method).Select(e => e.Params);

        /// <summary>Evaluates a JavaScript expression and returns its value (JSON-serialisable values only).</summary>
        public async Task<JsonNode> EvaluateAsync(string expression)
        {
            var result = await browser.SendAsync("Runtime.evaluate",
                new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, session);
            if (result["exceptionDetails"] is { } failure)
                throw new InvalidOperationException($"evaluating {expression[..Math.Min(80, expression.Length)]}... threw: {failure.ToJsonString()}");
            return result["result"]!["value"] ?? JsonValue.Create(false)!;
        }

        /// <summary>Uncaught exceptions, <c>console.error</c> calls and error-level browser log entries (failed loads,
        /// refused scripts), one line each.</summary>
        public IReadOnlyList<string> Errors() =>
        [
            .. Events("Runtime.exceptionThrown").Select(e =>
                "uncaught: " + (e["exceptionDetails"]?["exception"]?["description"]?.GetValue<string>()
                                ?? e["exceptionDetails"]?["text"]?.GetValue<string>())),
            .. Events("Runtime.consoleAPICalled").Where(e => e["type"]?.GetValue<string>() is "error" or "assert")
                .Select(e => "console.error: " + string.Join(" ", e["args"]!.AsArray().Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString()))),
            .. Events("Log.entryAdded").Where(e => e["entry"]?["level"]?.GetValue<string>() == "error")
                .Select(e => $"log: {e["entry"]?["text"]} {e["entry"]?["url"]}"),
        ];

        /// <summary>Every URL the page requested, the page's own included.</summary>
        public IReadOnlyList<string> RequestedUrls() =>
            [.. Events("Network.requestWillBeSent").Select(e => e["request"]!["url"]!.GetValue<string>())];

        /// <summary>Writes a PNG of the page region <c>(x, y, width, height)</c> in CSS pixels of the document.</summary>
        public async Task ScreenshotAsync(string path, double x, double y, double width, double height)
        {
            var shot = await browser.SendAsync("Page.captureScreenshot", new JsonObject
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new JsonObject { ["x"] = x, ["y"] = y, ["width"] = width, ["height"] = height, ["scale"] = 1 },
            }, session);
            await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
        }

        /// <summary>Closes the page.</summary>
        public async ValueTask DisposeAsync() => await browser.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = target });
    }
}
