using GridGov.Web;

// `GridGov.Web migrate` applies migrations; `GridGov.Web seed [--scale N]` loads the demo street;
// anything else runs the web app (see README).
return await GridGovHost.RunAsync(args);
