using Distill.NotebookExport;

// Usage: Distill.NotebookExport NOTEBOOK.ipynb [...]: writes NOTEBOOK.html next to each notebook.
// Exit codes as the distill command line: 2 bad usage, 3 bad data (a file that is missing or not a notebook).
if (args.Length == 0 || args.Any(a => a is "-h" or "--help"))
{
    Console.Error.WriteLine("usage: Distill.NotebookExport NOTEBOOK.ipynb [...]   writes NOTEBOOK.html next to each notebook");
    return args.Length == 0 ? 2 : 0;
}
foreach (string path in args)
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"error: {path} does not exist: pass executed notebooks (.ipynb), e.g. out/notebooks/01-teacher-training.ipynb.");
        return 3;
    }
    Notebook notebook;
    try
    {
        notebook = Notebook.Read(path);
    }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 3;
    }
    string html = Path.ChangeExtension(path, ".html");
    File.WriteAllText(html, NotebookPage.Write(notebook, Path.GetFileNameWithoutExtension(path)));
    Console.WriteLine($"   page -> {html}");
}
return 0;
