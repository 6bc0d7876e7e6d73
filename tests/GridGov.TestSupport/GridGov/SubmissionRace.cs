using Npgsql;

namespace GridGov.TestSupport.GridGov;

/// <summary>
/// Two posts of one form at the same moment, made deterministic: the first post is played in the middle of its
/// transaction (its submission key written with its result, not yet committed) while the second runs; once the second
/// waits on that key, the first commits, and the second's answer is returned.
/// </summary>
public static class SubmissionRace
{
    public static async Task<T> SecondPostAsync<T>(string connectionString, string author, string purpose, Guid submission, string firstResult,
        Func<Task<T>> secondPost)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var key = new NpgsqlCommand(
            "INSERT INTO submissions (author, purpose, submission_id, result, at) VALUES (@author, @purpose, @id, @result, now())", connection, transaction))
        {
            key.Parameters.AddWithValue("author", author);
            key.Parameters.AddWithValue("purpose", purpose);
            key.Parameters.AddWithValue("id", submission);
            key.Parameters.AddWithValue("result", firstResult);
            await key.ExecuteNonQueryAsync();
        }
        var second = Task.Run(secondPost);
        await using (var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection, transaction))
        {
            for (var attempt = 0; attempt < 300 && !second.IsCompleted && (long)(await waiting.ExecuteScalarAsync())! == 0; attempt++)
            {
                await Task.Delay(100);
            }
        }
        await transaction.CommitAsync();
        return await second;
    }
}
