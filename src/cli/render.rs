//! Renders read results as a table, one JSON document, or CSV.

use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::CliError;
use crate::chain::types::*;
use crate::output::OutputFormat;

/// How a result is shown: the format and, for tables, which columns.
#[derive(Clone, Debug)]
pub struct Style {
    /// Table, JSON or CSV.
    pub format: OutputFormat,
    /// These table columns, in this order (names as in the header, any case).
    pub columns: Option<Vec<String>>,
    /// Every table column, not only the compact default set.
    pub wide: bool,
}

/// The format to use: the one asked for, else a table on a terminal and JSON elsewhere.
pub fn resolve(asked: Option<OutputFormat>) -> OutputFormat {
    asked.unwrap_or_else(|| {
        if std::io::stdout().is_terminal() { OutputFormat::Table } else { OutputFormat::Json }
    })
}

/// Something that can be shown in each format.
pub trait Render: Serialize {
    /// Column names.
    fn header(&self) -> Vec<&'static str>;
    /// Rows for a table (shortened, human units).
    fn table_rows(&self) -> Vec<Vec<String>>;
    /// Rows for CSV (full values); by default the table rows.
    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.table_rows()
    }
    /// Column names for CSV; by default the table header.
    fn csv_header(&self) -> Vec<&'static str> {
        self.header()
    }
    /// The columns a table shows unless `--wide` or `--columns` says otherwise (a set that
    /// fits 80 columns); `None`: all of them.
    fn compact(&self) -> Option<&'static [&'static str]> {
        None
    }
}

/// The indexes of the table columns `style` asks for, or a usage error naming an unknown one.
fn chosen_columns(
    header: &[&'static str],
    compact: Option<&[&str]>,
    style: &Style,
) -> Result<Vec<usize>, CliError> {
    match (&style.columns, style.wide, compact) {
        (Some(names), _, _) => names
            .iter()
            .map(|name| {
                header.iter().position(|h| h.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
                    CliError::Usage(format!(
                        "unknown column {name:?}: the columns are {}",
                        header.join(", ")
                    ))
                })
            })
            .collect(),
        (None, false, Some(compact)) => {
            Ok(compact.iter().filter_map(|c| header.iter().position(|h| h == c)).collect())
        }
        _ => Ok((0..header.len()).collect()),
    }
}

/// The width a table may take: the terminal's (comfy-table asks it) on a terminal, else
/// `COLUMNS` when set, else unbounded.
fn table_width() -> Option<u16> {
    if std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|c| *c > 0)
}

/// The result as `style` asks, ready to print.
pub fn render(value: &impl Render, style: &Style) -> Result<String, CliError> {
    let failed = |e: String| CliError::Runtime(anyhow::anyhow!(e));
    match style.format {
        OutputFormat::Json => serde_json::to_string(value).map_err(|e| failed(e.to_string())),
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(value.csv_header()).map_err(|e| failed(e.to_string()))?;
            for row in value.csv_rows() {
                w.write_record(row).map_err(|e| failed(e.to_string()))?;
            }
            let bytes = w.into_inner().map_err(|e| failed(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|e| failed(e.to_string()))?;
            Ok(text.trim_end().to_string())
        }
        OutputFormat::Table => {
            let header = value.header();
            let columns = chosen_columns(&header, value.compact(), style)?;
            let pick = |row: &[String]| -> Vec<String> {
                columns.iter().map(|&i| row.get(i).cloned().unwrap_or_default()).collect()
            };
            let mut table = Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            if std::env::var_os("NO_COLOR").is_some() || !std::io::stdout().is_terminal() {
                table.force_no_tty();
            }
            if let Some(width) = table_width() {
                table.set_width(width);
            }
            table.set_header(pick(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>()));
            for row in value.table_rows() {
                table.add_row(pick(&row));
            }
            Ok(table.to_string())
        }
    }
}

fn short(address: &str) -> String {
    if address.len() > 12 {
        format!("{}…{}", &address[..6], &address[address.len() - 4..])
    } else {
        address.to_string()
    }
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

fn tokens(x: f64) -> String {
    format!("{x:.2}")
}

fn axon(a: &AxonInfo) -> String {
    if a.ip == "0.0.0.0" {
        "-".into()
    } else if a.ip.contains(':') {
        format!("[{}]:{}", a.ip, a.port)
    } else {
        format!("{}:{}", a.ip, a.port)
    }
}

const NEURON_TABLE: [&str; 13] = [
    "uid",
    "hotkey",
    "coldkey",
    "stake",
    "alpha/tao",
    "incentive",
    "dividends",
    "emission",
    "vtrust",
    "permit",
    "updated",
    "active",
    "axon",
];

const NEURON_CSV: [&str; 21] = [
    "uid",
    "hotkey",
    "coldkey",
    "active",
    "axon_ip",
    "axon_port",
    "axon_protocol",
    "stake",
    "rank",
    "emission",
    "incentive",
    "consensus",
    "trust",
    "validator_trust",
    "dividends",
    "last_update",
    "validator_permit",
    "pruning_score",
    "stakes_alpha",
    "stakes_tao",
    "stakes_total",
];

/// The neuron columns shown by default: they fit 80 columns.
const NEURON_COMPACT: [&str; 7] =
    ["uid", "hotkey", "stake", "incentive", "dividends", "vtrust", "updated"];

fn neuron_row(n: &Neuron, block: u64) -> Vec<String> {
    vec![
        n.uid.to_string(),
        short(&n.hotkey),
        short(&n.coldkey),
        tokens(n.stake),
        format!("{} / {}", tokens(n.stakes.alpha), tokens(n.stakes.tao)),
        f4(n.incentive),
        f4(n.dividends),
        f4(n.emission),
        f4(n.validator_trust),
        if n.validator_permit { "yes" } else { "" }.into(),
        format!("{} ago", block.saturating_sub(n.last_update)),
        if n.active { "yes" } else { "no" }.into(),
        axon(&n.axon_info),
    ]
}

fn neuron_csv(n: &Neuron) -> Vec<String> {
    vec![
        n.uid.to_string(),
        n.hotkey.clone(),
        n.coldkey.clone(),
        n.active.to_string(),
        n.axon_info.ip.clone(),
        n.axon_info.port.to_string(),
        n.axon_info.protocol.to_string(),
        n.stake.to_string(),
        n.rank.to_string(),
        n.emission.to_string(),
        n.incentive.to_string(),
        n.consensus.to_string(),
        n.trust.to_string(),
        n.validator_trust.to_string(),
        n.dividends.to_string(),
        n.last_update.to_string(),
        n.validator_permit.to_string(),
        n.pruning_score.to_string(),
        n.stakes.alpha.to_string(),
        n.stakes.tao.to_string(),
        n.stakes.total.to_string(),
    ]
}

impl Render for SubnetNeurons {
    fn header(&self) -> Vec<&'static str> {
        NEURON_TABLE.to_vec()
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.neurons.iter().map(|n| neuron_row(n, self.block.number)).collect()
    }
    fn compact(&self) -> Option<&'static [&'static str]> {
        Some(&NEURON_COMPACT)
    }
    fn csv_header(&self) -> Vec<&'static str> {
        NEURON_CSV.to_vec()
    }
    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.neurons.iter().map(neuron_csv).collect()
    }
}

impl Render for SubnetValidators {
    fn header(&self) -> Vec<&'static str> {
        NEURON_TABLE.to_vec()
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.validators.iter().map(|n| neuron_row(n, self.block.number)).collect()
    }
    fn compact(&self) -> Option<&'static [&'static str]> {
        Some(&NEURON_COMPACT)
    }
    fn csv_header(&self) -> Vec<&'static str> {
        NEURON_CSV.to_vec()
    }
    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.validators.iter().map(neuron_csv).collect()
    }
}

impl Render for Hyperparams {
    fn header(&self) -> Vec<&'static str> {
        vec!["name", "value"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.hyperparams.iter().map(|(k, v)| vec![k.clone(), v.to_string()]).collect()
    }
}

impl Render for BlockInfo {
    fn header(&self) -> Vec<&'static str> {
        vec!["number", "hash", "timestamp"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        vec![vec![self.number.to_string(), self.hash.clone(), self.timestamp.to_string()]]
    }
}

impl Render for SubnetCommitments {
    fn header(&self) -> Vec<&'static str> {
        vec!["hotkey", "commitment"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.commitments.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect()
    }
}

impl Render for HotkeyCommitment {
    fn header(&self) -> Vec<&'static str> {
        vec!["hotkey", "block", "commitment"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        vec![vec![
            self.hotkey.clone(),
            self.commitment_block_number.to_string(),
            self.commitment.clone(),
        ]]
    }
}

impl Render for RevealedCommitments {
    fn header(&self) -> Vec<&'static str> {
        vec!["hotkey", "reveal_block_number", "commitment"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.commitments
            .iter()
            .map(|r| {
                vec![r.hotkey.clone(), r.reveal_block_number.to_string(), r.commitment.clone()]
            })
            .collect()
    }
}

/// Certificates by hotkey.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Certificates(pub std::collections::BTreeMap<String, Certificate>);

impl Render for Certificates {
    fn header(&self) -> Vec<&'static str> {
        vec!["hotkey", "algorithm", "public_key"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.0
            .iter()
            .map(|(k, c)| vec![k.clone(), c.algorithm.to_string(), c.public_key.clone()])
            .collect()
    }
}

impl Render for Certificate {
    fn header(&self) -> Vec<&'static str> {
        vec!["algorithm", "public_key"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        vec![vec![self.algorithm.to_string(), self.public_key.clone()]]
    }
}

impl Render for SubnetWeights {
    fn header(&self) -> Vec<&'static str> {
        vec!["uid", "count", "weights (uid:weight)"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        self.weights
            .iter()
            .map(|(uid, w)| {
                let list: Vec<String> = w.iter().map(|(u, v)| format!("{u}:{v}")).collect();
                vec![uid.to_string(), w.len().to_string(), list.join(" ")]
            })
            .collect()
    }
    fn csv_header(&self) -> Vec<&'static str> {
        vec!["uid", "dest_uid", "weight"]
    }
    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.weights
            .iter()
            .flat_map(|(uid, w)| {
                w.iter().map(move |(d, v)| vec![uid.to_string(), d.to_string(), v.to_string()])
            })
            .collect()
    }
}

/// A write's outcome or plan (a JSON object): JSON as is, else one `field,value` row per key
/// (nested values as compact JSON).
#[derive(Serialize)]
#[serde(transparent)]
pub struct Record(pub serde_json::Value);

impl Render for Record {
    fn header(&self) -> Vec<&'static str> {
        vec!["field", "value"]
    }
    fn table_rows(&self) -> Vec<Vec<String>> {
        let Some(fields) = self.0.as_object() else {
            return vec![vec![String::new(), self.0.to_string()]];
        };
        fields
            .iter()
            .map(|(k, v)| {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                vec![k.clone(), text]
            })
            .collect()
    }
}

/// Prints a write's outcome or plan as `style` asks.
pub fn print_record(value: serde_json::Value, style: &Style) -> Result<(), CliError> {
    crate::output::result_line(&render(&Record(value), style)?);
    Ok(())
}
