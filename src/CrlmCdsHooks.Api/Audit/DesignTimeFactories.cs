using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CrlmCdsHooks.Api.Audit;

// For `dotnet ef migrations add <Name> --context SqliteAuditDbContext|PostgresAuditDbContext`: each provider's
// migrations are generated from the same model without a running database (see README, 'Audit and governance').

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAuditDbContext>
{
    public SqliteAuditDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAuditDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAuditDbContext>
{
    public PostgresAuditDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAuditDbContext>().UseNpgsql("Host=localhost").Options);
}
