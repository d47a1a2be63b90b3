"""The end every table tool shares (transfer_seeds.py, sublora_table.py,
plot_feature_learning.py): refuse an empty input with exit 2, print the
Markdown table, optionally write it to a file, optionally draw the plot."""
import sys


def report(prog, source, what, runs, markdown, plot, markdown_path=None, plot_path=None):
    if not runs:
        print(f"{prog}: no {what} in {source}", file=sys.stderr)
        return 2
    text = markdown(runs)
    print(text)
    if markdown_path:
        with open(markdown_path, "w") as f:
            f.write(text + "\n")
    if plot_path:
        plot(runs, plot_path)
    return 0
