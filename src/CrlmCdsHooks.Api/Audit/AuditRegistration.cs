using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace CrlmCdsHooks.Api.Audit;

internal static class AuditRegistration
{
    /// <summary>
    /// The audit store: PostgreSQL when <c>ConnectionStrings:AuditDb</c> is set, otherwise the SQLite file at
    /// <c>Audit:SqlitePath</c>; nothing with <c>Audit:Enabled=false</c>.
    /// </summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuditOptions.Section);
        var settings = section.Get<AuditOptions>() ?? new AuditOptions();
        settings.Validate(builder.Environment.IsDevelopment());
        var services = builder.Services;
        services.Configure<AuditOptions>(section);
        if (!settings.Enabled)
        {
            services.AddSingleton<IAuditRecorder, NoAudit>();
            return builder;
        }

        services.AddSingleton(new PatientPseudonym(Encoding.UTF8.GetBytes(settings.PseudonymSecret ?? PatientPseudonym.DevelopmentSecret)));
        services.AddSingleton(Channel.CreateBounded<AuditBatch>(new BoundedChannelOptions(settings.QueueCapacity) { SingleReader = true }));
        services.AddSingleton<IAuditRecorder, QueuedAuditRecorder>();
        services.AddSingleton<AuditStoreState>();
        services.AddHostedService<AuditWriter>();

        var postgres = builder.Configuration.GetConnectionString(AuditOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
            services.AddAuditStore<PostgresAuditDbContext>(options => options.UseNpgsql(postgres));
        else
        {
            var path = Path.GetFullPath(settings.SqlitePath, builder.Environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            services.AddAuditStore<SqliteAuditDbContext>(options => options.UseSqlite($"Data Source={path}"));
        }
        return builder;
    }

    /// <summary>Whether the audit store (and so the governance report) is on.</summary>
    public static bool AuditEnabled(this IServiceProvider services) => services.GetService<IDbContextFactory<AuditDbContext>>() is not null;

    private static void AddAuditStore<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : AuditDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<AuditDbContext>>(provider =>
            new StoreFactory<TContext>(provider.GetRequiredService<IDbContextFactory<TContext>>()));
    }

    /// <summary>The store's own context type seen as the one model the writer and the report use.</summary>
    private sealed class StoreFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AuditDbContext>
        where TContext : AuditDbContext
    {
        public AuditDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
