//! The examples, run as programs and held to what they promise: XOR's four
//! answers, the textbook's shopping graph, the seed network's gradients
//! against a reference computed here from scratch, the digits' accuracy to
//! the last digit, MNIST's curves as SVG, and every example's `--help`. The
//! examples' shared printing is tested here too, as a module.

use std::path::PathBuf;
use std::process::{Command, Output};

// The examples' shared module, compiled here as it is there; each test uses
// a part of it.
#[allow(dead_code)]
#[path = "../examples/support/mod.rs"]
mod support;

/// Builds the example `name` (in release when `release` or when the tests
/// themselves are) and returns the path of its binary.
fn build_example(name: &str, release: bool) -> PathBuf {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop(); // the test binary
    path.pop(); // deps/
    // `cargo test` builds the examples, but not when it runs only this file.
    let tests_in_release = path.file_name().and_then(|p| p.to_str()) == Some("release");
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--quiet", "--example", name]);
    if release || tests_in_release {
        build.arg("--release");
    }
    assert!(
        build.status().expect("cargo runs").success(),
        "building {name} failed"
    );
    if release && !tests_in_release {
        path.pop(); // debug/
        path.push("release");
    }
    path.push("examples");
    path.push(name);
    path
}

/// Runs the example `name` with `args` and returns what it did.
fn run_with(name: &str, args: &[&str], release: bool) -> Output {
    let path = build_example(name, release);
    Command::new(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()))
}

/// Runs the example `name` with `args`, checks that it succeeded, and
/// returns its stdout.
fn stdout_of(name: &str, args: &[&str], release: bool) -> String {
    let output = run_with(name, args, release);
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Runs the example `name` without arguments and returns its stdout.
fn run_example(name: &str) -> String {
    stdout_of(name, &[], false)
}

#[test]
fn xor_learns_xor_and_ends_with_its_four_answers() {
    let out = run_example("xor");
    let lines: Vec<&str> = out.lines().collect();
    let answers = &lines[lines.len() - 4..];
    // Xoshiro128++ from seed 42 and exactly rounded f32 initialisation: the
    // same start, so the same answers, on every machine.
    assert_eq!(
        answers,
        [
            "xor(0, 0) = 0.008",
            "xor(0, 1) = 0.983",
            "xor(1, 0) = 0.986",
            "xor(1, 1) = 0.020"
        ]
    );
    for (line, (a, b, want)) in
        answers
            .iter()
            .zip([(0, 0, 0.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 0.0)])
    {
        let prefix = format!("xor({a}, {b}) = ");
        let y = line
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{line:?} lacks {prefix:?}"));
        assert_eq!(
            y.split('.').nth(1).map(str::len),
            Some(3),
            "three decimals: {line}"
        );
        let y: f64 = y.parse().expect("a number");
        assert!((y - want).abs() < 0.1, "{line}");
    }
    // The loss it prints falls.
    let losses: Vec<f64> = lines
        .iter()
        .filter_map(|l| l.split("loss ").nth(1))
        .map(|l| l.parse().expect("a loss"))
        .collect();
    assert!(losses.len() >= 5);
    assert!(losses.last().unwrap() * 100.0 < losses[0], "{losses:?}");
}

#[test]
fn sigmoid_example_fits_its_targets() {
    let out = run_example("sigmoid");
    let rows: Vec<Vec<f64>> = out
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| {
            l.split(']')
                .nth(1)
                .unwrap()
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4);
    for row in rows {
        let (target, after) = (row[0], row[2]);
        assert!((after - target).abs() < 0.05, "{row:?}");
    }
}

#[test]
fn textbook_graph_prints_the_textbook_numbers() {
    let out = run_example("textbook_graph");
    // The same digits as the textbook's Python, float rounding included.
    for expected in [
        "2 apples: price 220.00000000000003",
        "d price / d apple price = 2.2",
        "d price / d apple count = 110.00000000000001",
        "d price / d tax         = 200",
        "2 apples and 3 oranges: price 253.00000000000003",
        "d price / d orange price = 3.3000000000000003",
        "d price / d orange count = 11",
        "d price / d tax          = 230",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

/// The seed network as the specification gives it, parsed here rather than
/// shared with the example, so that a mistake in copying shows up.
const SPEC: &str = "
X  = [[-1.086, 0.997, 0.283, -1.506]]      T = [[-0.579]]
W1 = [[-0.339,-0.047, 0.746,-0.319,-0.222,-0.217],[ 1.103, 1.093, 0.502, 0.193, 0.369, 0.745],
      [-0.468, 0.588,-0.627,-0.319, 0.454,-0.714],[-0.070,-0.431,-0.128,-1.399,-0.886,-0.350]]
W2 = [[ 0.379,-0.071, 0.001, 0.281,-0.359, 0.116],[-0.329,-0.705,-0.160, 0.234, 0.138,-0.005],
      [ 0.977, 0.169, 0.400, 0.914,-0.528,-0.424],[ 0.712,-0.326, 0.012, 0.437, 0.364, 0.716],
      [ 0.611, 0.437,-0.315, 0.325, 0.128,-0.541],[ 0.579, 0.330, 0.019,-0.095,-0.489, 0.081]]
W3 = [[ 0.191,-0.339, 0.474,-0.448,-0.867, 0.424],[-0.165,-0.051,-0.342,-0.656, 0.512,-0.281],
      [ 0.678, 0.330,-0.128,-0.443,-0.299,-0.495],[ 0.852, 0.067, 0.470,-0.517, 0.074, 0.481],
      [-0.137, 0.421,-0.443,-0.557, 0.155,-0.155],[ 0.262,-0.807, 0.291, 1.061,-0.010, 0.014]]
W4 = [[0.073],[-0.760],[0.174],[-0.655],[-0.175],[0.507]]
B1 = [-0.760, 0.174,-0.655,-0.175, 0.507,-0.300]   B2 = [ 0.205, 0.413, 0.114,-0.560,-0.136, 0.800]
B3 = [-0.827,-0.113,-0.225, 0.049, 0.305, 0.657]   B4 = [-0.270]
";

/// The rows of `name = [...]` in `SPEC` (a bias is one row).
fn spec_matrix(name: &str) -> Vec<Vec<f64>> {
    // `NAME` at the start of a word, then spaces, then `= `.
    let start = SPEC
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| {
            let before = SPEC[..i].chars().last().is_none_or(char::is_whitespace);
            before
                && SPEC[i + name.len()..]
                    .trim_start_matches(' ')
                    .starts_with("= ")
        })
        .expect("name in spec");
    let start = start + SPEC[start..].find('=').unwrap() + 2;
    let mut depth = 0;
    let mut end = start;
    for (i, c) in SPEC[start..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            end = start + i + 1;
            break;
        }
    }
    let text = &SPEC[start..end];
    let nested = text.starts_with("[[");
    let body = if nested {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let rows: Vec<Vec<f64>> = body
        .split(']')
        .map(|r| r.trim_matches(|c: char| c == ',' || c == '[' || c.is_whitespace()))
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.split(',')
                .map(|v| v.trim().parse().expect("a number"))
                .collect()
        })
        .collect();
    rows
}

/// Parameters of the reference: (weights, bias) per layer.
type Reference = Vec<(Vec<Vec<f64>>, Vec<f64>)>;

/// The network's output for `x`, straight from the definition: ReLU after
/// every layer but the last.
fn reference_output(layers: &Reference, x: &[f64]) -> f64 {
    let mut h = x.to_vec();
    for (i, (w, b)) in layers.iter().enumerate() {
        let mut next: Vec<f64> = b.clone();
        for (k, hk) in h.iter().enumerate() {
            for (j, n) in next.iter_mut().enumerate() {
                *n += hk * w[k][j];
            }
        }
        if i + 1 < layers.len() {
            next.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        h = next;
    }
    h[0]
}

/// Weight `[r][c]` of `layer`, or its bias `c` when `r` is one past the last row.
fn parameter(layers: &mut Reference, layer: usize, r: usize, c: usize) -> &mut f64 {
    let (weights, bias) = &mut layers[layer];
    if r < weights.len() {
        &mut weights[r][c]
    } else {
        &mut bias[c]
    }
}

#[test]
fn seed_gradients_match_finite_differences_of_the_definition() {
    let x = spec_matrix("X")[0].clone();
    let t = spec_matrix("T")[0][0];
    let mut layers: Reference = (1..=4)
        .map(|i| {
            (
                spec_matrix(&format!("W{i}")),
                spec_matrix(&format!("B{i}"))[0].clone(),
            )
        })
        .collect();
    let loss = |layers: &Reference| (reference_output(layers, &x) - t).powi(2);

    let out = run_example("seed_gradients");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let names: Vec<&str> = objects
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Y", "loss", "dW1", "dB1", "dW2", "dB2", "dW3", "dB3", "dW4", "dB4"
        ]
    );
    let data = |i: usize| -> Vec<f64> {
        objects[i]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let shape = |i: usize| {
        (
            objects[i]["rows"].as_u64().unwrap(),
            objects[i]["cols"].as_u64().unwrap(),
        )
    };

    let y = reference_output(&layers, &x);
    assert!((data(0)[0] - y).abs() < 1e-12, "Y {} vs {y}", data(0)[0]);
    assert!((data(1)[0] - loss(&layers)).abs() < 1e-12);
    // By hand: the last bias gradient is dL/dY = 2(Y - T).
    assert!((data(9)[0] - 2.0 * (y - t)).abs() < 1e-12);

    let h = 1e-6;
    let mut checked = 0;
    for layer in 0..4 {
        let (rows, cols) = (layers[layer].0.len(), layers[layer].0[0].len());
        assert_eq!(shape(2 + 2 * layer), (rows as u64, cols as u64));
        assert_eq!(shape(3 + 2 * layer), (1, cols as u64));
        let (d_w, d_b) = (data(2 + 2 * layer), data(3 + 2 * layer));
        for r in 0..=rows {
            for c in 0..cols {
                // Row `rows` stands for the bias.
                let got = if r < rows { d_w[r * cols + c] } else { d_b[c] };
                *parameter(&mut layers, layer, r, c) += h;
                let up = loss(&layers);
                *parameter(&mut layers, layer, r, c) -= 2.0 * h;
                let down = loss(&layers);
                *parameter(&mut layers, layer, r, c) += h;
                let numeric = (up - down) / (2.0 * h);
                assert!(
                    (got - numeric).abs() <= 1e-6 * (1.0 + numeric.abs()),
                    "layer {} {}: {got} vs {numeric}",
                    layer + 1,
                    if r < rows {
                        format!("dW[{r}][{c}]")
                    } else {
                        format!("dB[{c}]")
                    }
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 6 + 6 + 6 * 6 + 6 + 6 * 6 + 6 + 6 + 1);
}

#[test]
fn custom_layers_pass_their_gradient_checks_and_learn_the_digits() {
    let out = run_example("custom_layer");
    let error = |prefix: &str| -> f64 {
        let line = out
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in {out}"));
        line.rsplit(' ')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("an error figure")
    };
    assert!(error("gradient check, leaky ReLU network") < 1e-6, "{out}");
    assert!(error("gradient check, dropout") < 1e-6, "{out}");
    let last = out.lines().last().expect("output");
    let accuracy: f64 = last
        .strip_prefix("test accuracy: ")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("last line {last:?}"));
    assert!(accuracy > 0.95, "{last}");
}

#[test]
fn seed_gradients_says_on_stderr_what_its_stdout_holds() {
    let output = run_with("seed_gradients", &[], false);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(
        stderr,
        "seed_gradients: stdout holds 10 JSON lines, the output Y, the loss, \
         then dW1, dB1, ..., dW4, dB4 of one backward pass\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 10);
}

/// The examples that take `--help` (all but `xor` and `custom_layer`).
const WITH_HELP: [&str; 5] = [
    "digits",
    "mnist",
    "seed_gradients",
    "sigmoid",
    "textbook_graph",
];

#[test]
fn every_example_prints_its_usage_on_help_and_exits_2_on_unknown_arguments() {
    for name in WITH_HELP {
        let help = run_with(name, &["--help"], false);
        assert_eq!(help.status.code(), Some(0), "{name} --help");
        let usage = String::from_utf8(help.stdout).expect("UTF-8");
        assert!(
            usage.starts_with(&format!("usage: {name}")),
            "{name} --help printed {usage:?}"
        );
        assert!(
            usage.ends_with('\n') && usage.lines().count() >= 3,
            "{usage:?}"
        );
        assert!(help.stderr.is_empty(), "{name} --help wrote to stderr");
        // `-h` says the same, wherever it is.
        let short = run_with(name, &["--bogus", "-h"], false);
        assert_eq!(short.status.code(), Some(0), "{name} -h");
        assert_eq!(String::from_utf8_lossy(&short.stdout), usage);

        let wrong = run_with(name, &["--bogus"], false);
        assert_eq!(wrong.status.code(), Some(2), "{name} --bogus");
        assert!(wrong.stdout.is_empty(), "{name} --bogus wrote to stdout");
        let stderr = String::from_utf8(wrong.stderr).expect("UTF-8");
        assert_eq!(
            stderr,
            format!("error: unknown argument `--bogus`\n{usage}"),
            "{name}"
        );
    }
}

#[test]
fn options_that_need_a_value_say_so() {
    let output = run_with("mnist", &["--epochs"], false);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: --epochs needs a value\nusage: mnist"),
        "{stderr}"
    );
    let output = run_with("mnist", &["--epochs", "many"], false);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: --epochs: `many` is not a valid value\n"),
        "{stderr}"
    );
    let output = run_with("digits", &["--optimizer", "lbfgs"], false);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: unknown optimizer `lbfgs` (expected sgd|momentum|adagrad|rmsprop|adam)\n"
    );
}

/// The number after `label ` in `line`.
fn number_after(line: &str, label: &str) -> f64 {
    let rest = line
        .split(label)
        .nth(1)
        .unwrap_or_else(|| panic!("{label:?} in {line:?}"));
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number after {label:?} in {line:?}"))
}

#[test]
fn digits_reaches_the_documented_accuracy_bit_for_bit() {
    // In release: the figures are the ones README.md and docs/optimizers.md
    // print, and the release build makes this quick.
    let out = stdout_of("digits", &[], true);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.last(), Some(&"test accuracy: 0.975"));
    let epochs: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("epoch "))
        .collect();
    assert_eq!(epochs.len(), 30);
    assert_eq!(
        epochs[0],
        "epoch  1/30 [--------------------] loss 1.8279  train accuracy 0.787  test accuracy 0.794"
    );
    assert_eq!(
        epochs[29],
        "epoch 30/30 [####################] loss 0.0293  train accuracy 0.998  test accuracy 0.975"
    );
    assert!(
        out.contains("weights saved to 19288 bytes and reloaded: the same network, bit for bit")
    );
    // The confusion matrix counts the 360 test images, 351 of them right.
    let table: Vec<Vec<usize>> = lines
        .iter()
        .skip_while(|l| !l.starts_with("test confusion matrix"))
        .skip(2)
        .take(10)
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .collect();
    let total: usize = table.iter().flatten().sum();
    let correct: usize = (0..10).map(|d| table[d][d]).sum();
    assert_eq!((total, correct), (360, 351));
}

/// The points of a `<polyline>`, as `(x, y)` pairs.
fn points(polyline: roxmltree::Node<'_, '_>) -> Vec<(f64, f64)> {
    polyline
        .attribute("points")
        .expect("a points attribute")
        .split_whitespace()
        .map(|pair| {
            let (x, y) = pair.split_once(',').expect("x,y");
            (x.parse().expect("a number"), y.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn mnist_trains_and_plots_its_curves_as_svg() {
    let dir = std::env::temp_dir().join(format!("constnet-mnist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let plot = dir.join("curves.svg");
    // In release: a debug build takes minutes over 784-wide products.
    let out = stdout_of(
        "mnist",
        &[
            "--epochs",
            "3",
            "--plot",
            plot.to_str().expect("a UTF-8 path"),
        ],
        true,
    );
    let lines: Vec<&str> = out.lines().collect();
    let epochs: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("epoch "))
        .collect();
    assert_eq!(epochs.len(), 3, "{out}");
    assert!(
        epochs[2].starts_with("epoch   3/3 [####################] loss "),
        "{}",
        epochs[2]
    );
    let losses: Vec<f64> = epochs.iter().map(|l| number_after(l, "loss ")).collect();
    let train: Vec<f64> = epochs
        .iter()
        .map(|l| number_after(l, "train accuracy "))
        .collect();
    let test: Vec<f64> = epochs
        .iter()
        .map(|l| number_after(l, "test accuracy "))
        .collect();
    // ln 10 = 2.30 untrained; three epochs of SGD bring it well down and the
    // accuracy well up.
    assert!(
        losses[0] < 2.3 && losses[2] < losses[1] && losses[1] < losses[0],
        "{losses:?}"
    );
    assert!(train[2] > 0.85 && test[2] > 0.85, "{train:?} {test:?}");
    let last = lines.last().expect("output");
    let accuracy = last.strip_prefix("test accuracy: ").expect("the last line");
    assert_eq!(accuracy.len(), 5, "three decimals: {last}");
    assert_eq!(accuracy, format!("{:.3}", test[2]));

    let text = std::fs::read_to_string(&plot).expect("the SVG file");
    std::fs::remove_dir_all(&dir).expect("removing the temporary directory");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let svg = document.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(
        svg.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let view_box: Vec<f64> = svg
        .attribute("viewBox")
        .expect("a viewBox")
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(view_box.len(), 4);
    let polylines: Vec<_> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .collect();
    let names: Vec<&str> = polylines
        .iter()
        .map(|p| {
            let title = p
                .children()
                .find(|c| c.has_tag_name("title"))
                .expect("a title");
            title.text().expect("a name")
        })
        .collect();
    assert_eq!(names, ["training loss", "train accuracy", "test accuracy"]);
    for polyline in &polylines {
        let points = points(*polyline);
        assert_eq!(points.len(), 3, "one point per epoch");
        assert!(
            points.windows(2).all(|p| p[0].0 < p[1].0),
            "epochs left to right"
        );
        for &(x, y) in &points {
            assert!((0.0..=view_box[2]).contains(&x) && (0.0..=view_box[3]).contains(&y));
        }
    }
    // The loss falls epoch by epoch, from the top of its panel (the largest
    // value) to the bottom (the smallest); lower on screen is a larger y.
    let loss = points(polylines[0]);
    let frame = polylines[0]
        .parent()
        .expect("a panel")
        .children()
        .find(|n| n.has_tag_name("rect"))
        .expect("the panel's frame");
    let top: f64 = frame.attribute("y").unwrap().parse().unwrap();
    let height: f64 = frame.attribute("height").unwrap().parse().unwrap();
    assert!((loss[0].1 - top).abs() < 0.01, "{loss:?} from {top}");
    assert!(
        (loss[2].1 - (top + height)).abs() < 0.01,
        "{loss:?} to {}",
        top + height
    );
    // The first loss on a log scale, between: ln-interpolated.
    let depth = (losses[0].ln() - losses[1].ln()) / (losses[0].ln() - losses[2].ln());
    assert!((loss[1].1 - (top + depth * height)).abs() < 0.5, "{loss:?}");
}

#[test]
fn a_progress_bar_is_filled_in_proportion() {
    use support::progress::progress_bar;
    assert_eq!(progress_bar(0, 30, 10), "[----------]");
    assert_eq!(progress_bar(14, 30, 10), "[####------]");
    assert_eq!(progress_bar(29, 30, 10), "[#########-]");
    assert_eq!(progress_bar(30, 30, 10), "[##########]");
    assert_eq!(progress_bar(0, 0, 4), "[####]");
}

#[test]
fn a_chart_puts_each_value_on_its_row() {
    use support::chart::chart;
    use support::curves::{Panel, Scale, Series};
    // Halving each epoch: one row apart on a log scale.
    let values = [8.0, 4.0, 2.0, 1.0];
    let loss = Panel {
        title: "loss",
        scale: Scale::Log,
        decimals: 4,
        series: vec![Series {
            name: "loss",
            marker: '*',
            values: &values,
        }],
    };
    assert_eq!(
        chart(&loss, 4),
        concat!(
            "loss\n",
            " 8.0000 |*\n",
            "        | *\n",
            "        |  *\n",
            " 1.0000 |   *\n",
            "        +----\n",
            "         1  4\n",
        )
    );
    // Two curves on a linear scale, the second drawn over the first.
    let (train, test) = ([0.5, 0.75, 1.0], [0.5, 0.5, 0.75]);
    let accuracy = Panel {
        title: "accuracy",
        scale: Scale::Linear,
        decimals: 3,
        series: vec![
            Series {
                name: "train",
                marker: 'o',
                values: &train,
            },
            Series {
                name: "test",
                marker: '+',
                values: &test,
            },
        ],
    };
    assert_eq!(
        chart(&accuracy, 3),
        concat!(
            "accuracy (o: train, +: test)\n",
            "  1.000 |  o\n",
            "        | o+\n",
            "  0.500 |++\n",
            "        +---\n",
            "         1 3\n",
        )
    );
}

#[test]
fn a_long_run_is_charted_in_at_most_60_columns() {
    use support::chart::{MAX_COLUMNS, chart};
    use support::curves::{Panel, Scale, Series};
    // 125 epochs rising linearly from 1 to 125.
    let values: Vec<f64> = (1..=125).map(f64::from).collect();
    let panel = Panel {
        title: "rising",
        scale: Scale::Linear,
        decimals: 0,
        series: vec![Series {
            name: "epoch",
            marker: '*',
            values: &values,
        }],
    };
    let text = chart(&panel, 5);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 5 + 2);
    assert_eq!(lines[6], format!("        +{}", "-".repeat(MAX_COLUMNS)));
    assert_eq!(lines[7], format!("         1{:>59}", 125));
    // The first column is epoch 1 (bottom row), the last epoch 125 (top row).
    assert!(lines[5].starts_with("      1 |*"), "{text}");
    assert_eq!(lines[1].len(), "    125 |".len() + MAX_COLUMNS);
    assert!(lines[1].ends_with('*'));
    // Every column has its one point.
    let stars: usize = lines[1..6].iter().map(|l| l.matches('*').count()).sum();
    assert_eq!(stars, MAX_COLUMNS);
}

#[test]
fn an_optimizer_choice_steps_as_the_optimizer_itself() {
    use constnet::{Adam, Affine, AffineGradient, Matrix, Momentum, Optimizer};
    use support::optimizer::{OptimizerChoice, Settings};
    type Layer = Affine<2, 1>;
    let start = Layer::new(Matrix::new([[0.5], [-0.25]]), Matrix::new([[0.125]]));
    let gradients = [
        AffineGradient {
            d_weights: Matrix::new([[1.0], [-2.0]]),
            d_bias: Matrix::new([[0.5]]),
        },
        AffineGradient {
            d_weights: Matrix::new([[0.25], [3.0]]),
            d_bias: Matrix::new([[-1.0]]),
        },
    ];
    let settings = Settings::textbook();
    let mut chosen =
        OptimizerChoice::<AffineGradient<2, 1>>::new("adam", &settings, Some(0.01)).unwrap();
    assert_eq!(chosen.describe(), "Adam (lr 0.01, β₁ 0.9, β₂ 0.999)");
    let mut direct = Adam::new(0.01, 0.9, 0.999);
    let (mut a, mut b) = (start, start);
    for gradient in &gradients {
        chosen.step(&mut a, &mut gradient.clone()).unwrap();
        direct.step(&mut b, &mut gradient.clone()).unwrap();
    }
    assert_eq!(a, b);
    assert_ne!(a, start);

    let mut chosen =
        OptimizerChoice::<AffineGradient<2, 1>>::new("momentum", &settings, None).unwrap();
    assert_eq!(chosen.describe(), "Momentum (lr 0.01, α 0.9)");
    let mut direct = Momentum::new(0.01, 0.9);
    let (mut a, mut b) = (start, start);
    for gradient in &gradients {
        chosen.step(&mut a, &mut gradient.clone()).unwrap();
        direct.step(&mut b, &mut gradient.clone()).unwrap();
    }
    assert_eq!(a, b);
    // Plain SGD by hand: w - lr dW.
    let mut sgd =
        OptimizerChoice::<AffineGradient<2, 1>>::new("sgd", &settings, Some(0.5)).unwrap();
    let mut layer = start;
    sgd.step(&mut layer, &mut gradients[0].clone()).unwrap();
    assert_eq!(
        layer,
        Layer::new(Matrix::new([[0.0], [0.75]]), Matrix::new([[-0.125]]))
    );
    assert_eq!(
        OptimizerChoice::<AffineGradient<2, 1>>::new("nesterov", &settings, None).unwrap_err(),
        "unknown optimizer `nesterov` (expected sgd|momentum|adagrad|rmsprop|adam)"
    );
}
