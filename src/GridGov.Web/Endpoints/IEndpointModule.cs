namespace GridGov.Web.Endpoints;

/// <summary>A feature's HTTP endpoints (fragments, exports, APIs). Every implementation is mapped at start-up.</summary>
public interface IEndpointModule
{
    void Map(IEndpointRouteBuilder endpoints);
}

public static class EndpointModules
{
    public static IEndpointRouteBuilder MapEndpointModules(this IEndpointRouteBuilder endpoints)
    {
        var modules = typeof(IEndpointModule).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEndpointModule).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var module in modules)
        {
            ((IEndpointModule)Activator.CreateInstance(module)!).Map(endpoints);
        }
        return endpoints;
    }
}
