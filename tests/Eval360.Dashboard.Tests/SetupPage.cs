using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Eval360.Dashboard.Tests;

/// <summary>The Setup tab, driven as a person would: fields, buttons, pickers; every step waits for what it changed.</summary>
public sealed class SetupPage(IPage page, string origin)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync(origin + "/Setup");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Set up an evaluation");
    }

    public async Task NameAsync(string name) => await page.Locator("input[name='Form.Name']").FillAsync(name);

    public async Task UploadAsync(string csv, int rows)
    {
        await page.Locator("input[name='DataFile']").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Expect(page.Locator(".dataset-info")).ToContainTextAsync($"{Path.GetFileName(csv)} — {rows} rows");
    }

    public async Task MapColumnsAsync(string prompt, string golden)
    {
        await page.Locator("select[name='Form.PromptColumn']").SelectOptionAsync(prompt);
        await page.Locator("select[name='Form.GoldenAnswerColumn']").SelectOptionAsync(golden);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply columns" }).ClickAsync();
        await Expect(page.Locator("table.preview th.mapped")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.preview th.mapped").First).ToContainTextAsync(prompt);
    }

    public async Task TaskAsync(int index, string type, string criteria, string temperature, string metrics = "")
    {
        await page.Locator($"input[name='Form.Tasks[{index}].TaskType']").FillAsync(type);
        await page.Locator($"textarea[name='Form.Tasks[{index}].TaskCriteria']").FillAsync(criteria);
        await page.Locator($"input[name='Form.Tasks[{index}].Temperature']").FillAsync(temperature);
        await page.Locator($"input[name='Form.Tasks[{index}].UserDefinedMetrics']").FillAsync(metrics);
    }

    public async Task AddTaskAsync(int expectedCount)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a task evaluation" }).ClickAsync();
        await Expect(page.Locator("fieldset.task")).ToHaveCountAsync(expectedCount);
    }

    public async Task PickAsync(string role, string modelId)
    {
        var box = page.Locator($"table.picker[data-role='{role}'] tr:has(td:text-is('{modelId}')) input[type=checkbox]");
        await box.CheckAsync();
    }

    public async Task SettingAsync(string name, string value) =>
        await page.Locator($"input[name='Form.Settings[{name}]']").FillAsync(value);

    /// <summary>Saves; the dashboard then shows the Monitor tab with what it saved.</summary>
    public async Task SaveAsync(string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Save configuration" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Saved '{name}'");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Monitor");
    }
}
