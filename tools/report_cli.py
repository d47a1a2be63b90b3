"""The end every table tool shares (transfer_seeds.py, sublora_table.py,
plot_feature_learning.py): refuse an empty input with exit 2, print the
Markdown table, optionally write it to a file, optionally draw the plot."""
import argparse
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


def table_main(prog, doc, collect, markdown, plot, what="<problem>_<arm>_s<seed>.h5"):
    """The command line every table tool takes: FOLDER [--markdown OUT.md] [--plot OUT.png]."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--markdown")
    parser.add_argument("--plot")
    args = parser.parse_args()
    return report(prog, args.folder, what, collect(args.folder), markdown, plot, args.markdown, args.plot)
