using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Eval360.Dashboard.Store;

/// <summary>
/// The dashboard's memory: evaluations (their definitions, states and run directories), their history and the uploads,
/// in one SQLite database in the data folder (write-ahead log, every change committed before it is acted on). A
/// restart reads everything back; an evaluation that was running when the process died is marked interrupted and
/// resumed. Every change bumps <see cref="DashboardChanges"/> so open pages update.
/// </summary>
public sealed class EvaluationStore
{
    private const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _connectionString;
    private readonly DashboardChanges _changes;
    private readonly TimeProvider _time;

    public EvaluationStore(string databasePath, DashboardChanges changes, TimeProvider? time = null)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        _changes = changes;
        _time = time ?? TimeProvider.System;
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"{databasePath} was written by a newer Eval360 dashboard (schema {version}); use that version, or another -DataPath.");
        }

        Execute(connection, """
            CREATE TABLE IF NOT EXISTS evaluations (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                definition TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                queued_at TEXT,
                started_at TEXT,
                finished_at TEXT,
                run_directory TEXT,
                run_id TEXT,
                message TEXT);
            CREATE TABLE IF NOT EXISTS evaluation_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                evaluation_id TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                message TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS evaluation_events_by_evaluation ON evaluation_events(evaluation_id, id);
            CREATE TABLE IF NOT EXISTS uploads (
                id TEXT PRIMARY KEY,
                original_name TEXT NOT NULL,
                stored_path TEXT NOT NULL,
                bytes INTEGER NOT NULL,
                uploaded_at TEXT NOT NULL);
            PRAGMA user_version = 1;
            """);
    }

    /// <summary>The draft being set up; a new empty one when there is none.</summary>
    public Evaluation Draft()
    {
        using var connection = Open();
        var draft = Query(connection, "SELECT * FROM evaluations WHERE state = $state ORDER BY updated_at DESC LIMIT 1", ("$state", EvaluationState.Draft.ToString())).FirstOrDefault();
        return draft ?? Insert(connection, new EvaluationDefinition(), EvaluationState.Draft);
    }

    /// <summary>Replaces the draft's definition (every Setup post keeps what was typed).</summary>
    public void UpdateDraft(string id, EvaluationDefinition definition)
    {
        using var connection = Open();
        Execute(connection, "UPDATE evaluations SET definition = $definition, updated_at = $now WHERE id = $id AND state = 'Draft'",
            ("$definition", JsonSerializer.Serialize(definition, Json)), ("$now", Now()), ("$id", id));
    }

    /// <summary>Makes the draft a saved evaluation, ready to queue; the next Setup visit starts a new draft.</summary>
    public void SaveDraft(string id, EvaluationDefinition definition)
    {
        using var connection = Open();
        Execute(connection, "UPDATE evaluations SET definition = $definition, state = 'Saved', updated_at = $now WHERE id = $id AND state = 'Draft'",
            ("$definition", JsonSerializer.Serialize(definition, Json)), ("$now", Now()), ("$id", id));
        AddEvent(connection, id, EvaluationEventKind.Saved, "saved");
        _changes.Notify();
    }

    /// <summary>A new draft with <paramref name="id"/>'s definition ("Load config"); an existing draft is replaced.</summary>
    public Evaluation CopyToDraft(string id)
    {
        var source = Get(id) ?? throw new KeyNotFoundException($"There is no evaluation {id}.");
        using var connection = Open();
        Execute(connection, "DELETE FROM evaluations WHERE state = 'Draft'");
        var draft = Insert(connection, source.Definition with { Name = source.Definition.Name + "-copy" }, EvaluationState.Draft);
        _changes.Notify();
        return draft;
    }

    public Evaluation? Get(string id)
    {
        using var connection = Open();
        return Query(connection, "SELECT * FROM evaluations WHERE id = $id", ("$id", id)).FirstOrDefault();
    }

    /// <summary>Every evaluation but the draft, newest first.</summary>
    public IReadOnlyList<Evaluation> List()
    {
        using var connection = Open();
        return Query(connection, "SELECT * FROM evaluations WHERE state <> 'Draft' ORDER BY created_at DESC, id");
    }

    /// <summary>Puts evaluations in the queue (those that can be); returns how many were queued.</summary>
    public int Queue(IEnumerable<string> ids)
    {
        int queued = 0;
        using var connection = Open();
        foreach (var id in ids)
        {
            if (Query(connection, "SELECT * FROM evaluations WHERE id = $id", ("$id", id)).FirstOrDefault() is { } evaluation && evaluation.State.IsQueueable())
            {
                Execute(connection, "UPDATE evaluations SET state = 'Queued', queued_at = $now, updated_at = $now, message = NULL WHERE id = $id", ("$now", Now()), ("$id", id));
                AddEvent(connection, id, EvaluationEventKind.Queued, evaluation.RunDirectory is null ? "queued" : "queued to resume its run");
                queued++;
            }
        }

        _changes.Notify();
        return queued;
    }

    /// <summary>The evaluation the worker should run next: an interrupted one first, then the queue in order.</summary>
    public Evaluation? Next()
    {
        using var connection = Open();
        return Query(connection, """
            SELECT * FROM evaluations WHERE state IN ('Interrupted', 'Queued')
            ORDER BY CASE state WHEN 'Interrupted' THEN 0 ELSE 1 END, queued_at, created_at LIMIT 1
            """).FirstOrDefault();
    }

    /// <summary>Evaluations waiting for the worker, in the order it takes them.</summary>
    public IReadOnlyList<Evaluation> Waiting()
    {
        using var connection = Open();
        return Query(connection, """
            SELECT * FROM evaluations WHERE state IN ('Interrupted', 'Queued')
            ORDER BY CASE state WHEN 'Interrupted' THEN 0 ELSE 1 END, queued_at, created_at
            """);
    }

    /// <summary>The run has its id and directory (recorded before it writes anything, so a crash can be resumed).</summary>
    public void Started(string id, string runId, string runDirectory, bool resumed, string message)
    {
        using var connection = Open();
        Execute(connection, """
            UPDATE evaluations SET state = 'Running', run_id = $run, run_directory = $directory, message = NULL,
                started_at = COALESCE(started_at, $now), finished_at = NULL, updated_at = $now WHERE id = $id
            """, ("$run", runId), ("$directory", runDirectory), ("$now", Now()), ("$id", id));
        AddEvent(connection, id, resumed ? EvaluationEventKind.Resumed : EvaluationEventKind.Started, message);
        _changes.Notify();
    }

    /// <summary>The run ended (or could not start): its state, and why when it did not complete.</summary>
    public void Ended(string id, EvaluationState state, string message)
    {
        using var connection = Open();
        bool finished = state is not (EvaluationState.Interrupted or EvaluationState.Queued);
        Execute(connection, "UPDATE evaluations SET state = $state, message = $message, finished_at = $finished, updated_at = $now WHERE id = $id",
            ("$state", state.ToString()), ("$message", state == EvaluationState.Completed ? null : message),
            ("$finished", finished ? Now() : null), ("$now", Now()), ("$id", id));
        AddEvent(connection, id, state == EvaluationState.Interrupted ? EvaluationEventKind.Interrupted : EvaluationEventKind.Ended, message);
        _changes.Notify();
    }

    /// <summary>Evaluations still marked running belong to a dashboard that died: they are interrupted, to be resumed.</summary>
    public int MarkInterrupted(string why)
    {
        using var connection = Open();
        var running = Query(connection, "SELECT * FROM evaluations WHERE state = 'Running'");
        foreach (var evaluation in running)
        {
            Execute(connection, "UPDATE evaluations SET state = 'Interrupted', message = $why, updated_at = $now WHERE id = $id", ("$why", why), ("$now", Now()), ("$id", evaluation.Id));
            AddEvent(connection, evaluation.Id, EvaluationEventKind.Interrupted, why);
        }

        return running.Count;
    }

    /// <summary>Takes a queued evaluation out of the queue (it keeps its run directory, if any, to resume later).</summary>
    public bool Unqueue(string id)
    {
        using var connection = Open();
        int changed = Execute(connection, "UPDATE evaluations SET state = 'Cancelled', message = 'cancelled before it ran', updated_at = $now WHERE id = $id AND state IN ('Queued', 'Interrupted')",
            ("$now", Now()), ("$id", id));
        if (changed > 0)
        {
            AddEvent(connection, id, EvaluationEventKind.Ended, "taken out of the queue");
            _changes.Notify();
        }

        return changed > 0;
    }

    public void Warning(string id, string message)
    {
        using var connection = Open();
        AddEvent(connection, id, EvaluationEventKind.Warning, message);
    }

    public IReadOnlyList<EvaluationEvent> Events(string id)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT at, kind, message FROM evaluation_events WHERE evaluation_id = $id ORDER BY id", ("$id", id));
        using var reader = command.ExecuteReader();
        var events = new List<EvaluationEvent>();
        while (reader.Read())
        {
            events.Add(new EvaluationEvent(ParseTime(reader.GetString(0)), Enum.Parse<EvaluationEventKind>(reader.GetString(1)), reader.GetString(2)));
        }

        return events;
    }

    /// <summary>Removes an evaluation and its history (the caller removes its files).</summary>
    public void Delete(string id)
    {
        using var connection = Open();
        Execute(connection, "DELETE FROM evaluations WHERE id = $id", ("$id", id));
        _changes.Notify();
    }

    public Upload AddUpload(string originalName, string storedPath, long bytes)
    {
        var upload = new Upload(Guid.NewGuid().ToString("N"), originalName, storedPath, bytes, _time.GetUtcNow());
        using var connection = Open();
        Execute(connection, "INSERT INTO uploads (id, original_name, stored_path, bytes, uploaded_at) VALUES ($id, $name, $path, $bytes, $at)",
            ("$id", upload.Id), ("$name", originalName), ("$path", storedPath), ("$bytes", bytes), ("$at", Format(upload.UploadedAt)));
        return upload;
    }

    public Upload? GetUpload(string? id)
    {
        if (id is null)
        {
            return null;
        }

        using var connection = Open();
        using var command = Command(connection, "SELECT id, original_name, stored_path, bytes, uploaded_at FROM uploads WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Upload(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), ParseTime(reader.GetString(4)))
            : null;
    }

    /// <summary>True when some evaluation (draft included) still uses the upload.</summary>
    public bool IsUploadUsed(string uploadId)
    {
        using var connection = Open();
        return Query(connection, "SELECT * FROM evaluations").Any(e => e.Definition.UploadId == uploadId);
    }

    public void DeleteUpload(string uploadId)
    {
        using var connection = Open();
        Execute(connection, "DELETE FROM uploads WHERE id = $id", ("$id", uploadId));
    }

    private Evaluation Insert(SqliteConnection connection, EvaluationDefinition definition, EvaluationState state)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var now = Now();
        Execute(connection, "INSERT INTO evaluations (id, state, definition, created_at, updated_at) VALUES ($id, $state, $definition, $now, $now)",
            ("$id", id), ("$state", state.ToString()), ("$definition", JsonSerializer.Serialize(definition, Json)), ("$now", now));
        return Query(connection, "SELECT * FROM evaluations WHERE id = $id", ("$id", id)).Single();
    }

    private void AddEvent(SqliteConnection connection, string id, EvaluationEventKind kind, string message) =>
        Execute(connection, "INSERT INTO evaluation_events (evaluation_id, at, kind, message) VALUES ($id, $at, $kind, $message)",
            ("$id", id), ("$at", Now()), ("$kind", kind.ToString()), ("$message", message));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
        return connection;
    }

    private static List<Evaluation> Query(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<Evaluation>();
        while (reader.Read())
        {
            string? Text(string column) => reader[column] is string s ? s : null;
            list.Add(new Evaluation
            {
                Id = (string)reader["id"],
                State = Enum.Parse<EvaluationState>((string)reader["state"]),
                Definition = JsonSerializer.Deserialize<EvaluationDefinition>((string)reader["definition"], Json) ?? new EvaluationDefinition(),
                CreatedAt = ParseTime((string)reader["created_at"]),
                UpdatedAt = ParseTime((string)reader["updated_at"]),
                QueuedAt = Text("queued_at") is { } queued ? ParseTime(queued) : null,
                StartedAt = Text("started_at") is { } started ? ParseTime(started) : null,
                FinishedAt = Text("finished_at") is { } finished ? ParseTime(finished) : null,
                RunDirectory = Text("run_directory"),
                RunId = Text("run_id"),
                Message = Text("message"),
            });
        }

        return list;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Every statement is a constant of this class; values are always parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private string Now() => Format(_time.GetUtcNow());

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

/// <summary>
/// A change counter the live pages wait on: the store and the worker bump it, each open event stream renders again
/// when it moves (and at least every second, for the clocks: elapsed time, ETA, requests per minute).
/// </summary>
public sealed class DashboardChanges
{
    private readonly object _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Notify()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _version++;
            previous = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>Waits until something changes after <paramref name="seen"/>, or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }

            next = _next.Task;
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A tick: the caller renders again for the clocks.
        }
    }
}
