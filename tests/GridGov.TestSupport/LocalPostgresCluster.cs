using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace GridGov.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster from the local binaries (Linux): initdb into a temp dir, start on
/// a free loopback port, stop and delete it when the process exits, however it exits. One per test
/// process.
/// </summary>
internal sealed class LocalPostgresCluster
{
    private const string DirPrefix = "gridgov-pg-";
    private const string SuperUser = "postgres";
    private const int StartAttempts = 5;
    private const int StartTimeoutSeconds = 30;
    private const int SigQuit = 3;
    private const int SigKill = 9;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);

    // initdb refuses to run as root, so as root everything runs as the postgres OS user.
    private static readonly bool IsRoot = Environment.IsPrivilegedProcess;

    private static readonly string BinDir =
        Environment.GetEnvironmentVariable("GRIDGOV_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    // Full path: root's PATH in a CI job may lack /usr/sbin.
    private static readonly string RunUser = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";

    // As root, the dir must be reachable by the postgres user, which TMPDIR may not be.
    private static readonly string BaseDir = IsRoot ? "/tmp" : Path.TrimEndingDirectorySeparator(Path.GetTempPath());

    private readonly string _dir;
    private int _watchdogPid;
    private int _stopped;

    private LocalPostgresCluster(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database=postgres";

    private string DataDir => Path.Combine(_dir, "data");

    private string LogFile => Path.Combine(_dir, "server.log");

    public static LocalPostgresCluster Start()
    {
        if (!File.Exists(Tool("initdb")))
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server binaries in {BinDir}. Install postgresql-15 and postgresql-15-postgis-3, " +
                $"set GRIDGOV_PG_BIN to another bin dir, or point {PostgresServer.ConnectionStringVariable} at a server.");
        }

        RemoveStaleClusters();

        string dir = Run(AsClusterUser("mktemp", "-d", "-p", BaseDir, DirPrefix + "XXXXXXXX"), "mktemp").Trim();
        var cluster = new LocalPostgresCluster(dir, port: 0);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        try
        {
            File.WriteAllText(Path.Combine(dir, "owner"), ProcessIdentity(Environment.ProcessId));
            cluster.InitDb();
            cluster.StartServer();
            cluster.StartWatchdog();
            return cluster;
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    public string ReadLogTail(int maxChars = 4000)
    {
        try
        {
            string log = File.ReadAllText(LogFile);
            return log.Length <= maxChars ? log : log[^maxChars..];
        }
        catch (IOException e)
        {
            return $"(server log unavailable: {e.Message})";
        }
    }

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        // This runs in ProcessExit, and a test host may be killed ~100 ms into it: signal the server
        // directly instead of spawning pg_ctl, and leave the watchdog alive until the very end.
        StopPostmaster(DataDir);
        DeleteQuietly(_dir);
        if (_watchdogPid > 0)
        {
            _ = Kill(_watchdogPid, SigKill);
        }
    }

    private void InitDb()
    {
        // C.UTF-8 gives Unicode-aware lower()/upper(); plain C is the fallback where it is missing.
        string locale = Directory.Exists("/usr/lib/locale/C.utf8") ? "C.UTF-8" : "C";
        Run(AsClusterUser(Tool("initdb"), "-D", DataDir, "-U", SuperUser, "-A", "trust", "-E", "UTF8",
            "--locale=" + locale, "--no-sync", "--no-instructions"), "initdb");

        // Appended so the file keeps its owner (the postgres user when we are root).
        File.AppendAllText(Path.Combine(DataDir, "postgresql.conf"), $"""

            # gridgov test cluster: loopback only, durability off for speed
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{_dir}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            timezone = 'UTC'

            """);
        File.WriteAllText(Path.Combine(DataDir, "pg_hba.conf"), """
            local all all trust
            host  all all 127.0.0.1/32 trust

            """);
    }

    /// <summary>Stops the server (fast shutdown: open connections are ended) and keeps its data and port.</summary>
    internal void StopServer() =>
        Run(AsClusterUser(Tool("pg_ctl"), "stop", "-D", DataDir, "-m", "fast", "-w"), "pg_ctl stop");

    /// <summary>Starts the server stopped by <see cref="StopServer"/> again, on the same port.</summary>
    internal void RestartServer() => StartServer(keepPort: true);

    private void StartServer(bool keepPort = false)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Another process may grab the port between our probe and postgres binding it; retry then.
            Port = keepPort ? Port : FreeLoopbackPort();
            File.Delete(LogFile); // so the log checked below is this attempt's
            var (exitCode, output) = TryRun(AsClusterUser(Tool("pg_ctl"), "start", "-D", DataDir, "-l", LogFile,
                "-w", "-t", StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture), "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}"));
            if (exitCode == 0)
            {
                return;
            }

            string log = ReadLogTail();
            if (attempt < StartAttempts && (log.Contains("could not bind", StringComparison.Ordinal) || keepPort))
            {
                continue;
            }

            throw new InvalidOperationException(
                $"PostgreSQL test cluster in {_dir} did not start on port {Port} (attempt {attempt}).\n" +
                $"pg_ctl said:\n{output}\nServer log:\n{log}");
        }
    }

    // dotnet test kills its test hosts without waiting for ProcessExit handlers (microsoft/vstest#1900),
    // and a crash skips them too. So a shell outside our process tree (a tree kill would take it
    // along) polls for the owner's death, zombie included, then stops the cluster and deletes it.
    private void StartWatchdog()
    {
        const string script = """
            owner=$1; dir=$2; shift 2
            (
              trap '' HUP INT TERM
              while read -r stat < "/proc/$owner/stat"; do
                case $stat in *") Z "*) break ;; esac
                sleep 0.2
              done
              "$@"
              rm -rf "$dir"
            ) </dev/null >/dev/null 2>&1 &
            echo $!
            """;
        var stop = AsClusterUser(Tool("pg_ctl"), "stop", "-D", DataDir, "-m", "immediate");
        string pid = Run(("sh", ["-c", script, "gridgov-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            _dir, stop.File, .. stop.Args]), "watchdog");
        _watchdogPid = int.Parse(pid.Trim(), CultureInfo.InvariantCulture);
    }

    // Clusters left by runs whose watchdog also died (reboot-free crash, killed process group).
    private static void RemoveStaleClusters()
    {
        foreach (string dir in Directory.EnumerateDirectories(BaseDir, DirPrefix + "*"))
        {
            try
            {
                string ownerFile = Path.Combine(dir, "owner");
                bool stale = File.Exists(ownerFile)
                    ? !IsAlive(File.ReadAllText(ownerFile))
                    : Directory.GetCreationTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-10); // not a run still starting up
                if (!stale)
                {
                    continue;
                }

                StopPostmaster(Path.Combine(dir, "data"));
                DeleteQuietly(dir);
            }
            catch (IOException)
            {
                // Best effort: another process may be cleaning the same dir.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's cluster.
            }
        }
    }

    private static void StopPostmaster(string dataDir)
    {
        string pidFile = Path.Combine(dataDir, "postmaster.pid");
        int pid;
        try
        {
            pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            if (File.ReadAllText($"/proc/{pid}/comm").Trim() != "postgres")
            {
                return; // gone, and the pid reused by something else
            }
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            return;
        }

        // SIGQUIT is what pg_ctl stop -m immediate sends; the postmaster removes its pid file on exit.
        if (Kill(pid, SigQuit) == 0)
        {
            long deadline = Environment.TickCount64 + 5000;
            while (File.Exists(pidFile) && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    // "pid starttime": the start time guards against the pid having been reused.
    private static string ProcessIdentity(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // comm may contain spaces
        return $"{pid} {fields[19]}"; // field 22 of proc(5), counted from field 3
    }

    private static bool IsAlive(string identity)
    {
        try
        {
            int pid = int.Parse(identity.Split(' ')[0], CultureInfo.InvariantCulture);
            return ProcessIdentity(pid) == identity.Trim();
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tool(string name) => Path.Combine(BinDir, name);

    private static (string File, string[] Args) AsClusterUser(string file, params string[] args) =>
        IsRoot ? (RunUser, ["-u", SuperUser, "--", file, .. args]) : (file, args);

    private static string Run((string File, string[] Args) command, string what)
    {
        var (exitCode, output) = TryRun(command);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException(
                $"{what} failed (exit code {exitCode}): {command.File} {string.Join(' ', command.Args)}\n{output}");
    }

    private static (int ExitCode, string Output) TryRun((string File, string[] Args) command)
    {
        var psi = new ProcessStartInfo(command.File)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/", // the postgres user may not be able to read our cwd
        };
        psi.Environment["LC_ALL"] = "C"; // English, predictable tool output
        foreach (string arg in command.Args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"Could not start {command.File}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ToolTimeout))
        {
            KillQuietly(process);
            return (-1, $"timed out after {ToolTimeout.TotalSeconds:0}s");
        }

        var output = new StringBuilder(stdout.GetAwaiter().GetResult()).Append(stderr.GetAwaiter().GetResult());
        return (process.ExitCode, output.ToString());
    }

    private static void KillQuietly(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A file still in use; the next run's stale-dir sweep will get it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // DllImport rather than LibraryImport, which would need AllowUnsafeBlocks for one syscall.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
