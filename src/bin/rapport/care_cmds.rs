//! CLI forms of care that fits the person: preferences, the gift log and gift plans,
//! referrals, loyalty points and satisfaction surveys (and the family members they name).
//!
//! CLIENT is an id or an exact name; `--member` is a family member's id, name, or a relation
//! only one member has (spouse, 妻子 …).

use crate::failure::Failure;
use clap::{Args, Subcommand};
use rapport::book::values::{
    format_yuan, Birthday, Calendar, Channel, GiftQuality, Occasion, PointsKind, PreferenceKind,
    Relation,
};
use rapport::family::FamilyInput;
use rapport::gifts::{GiftInput, PlanInput};
use rapport::preferences::PreferenceInput;
use rapport::surveys::SurveyInput;
use rapport::{book, clients, clock, family, gifts, points, preferences, referrals, surveys, Book};
use serde::Serialize;
use std::path::PathBuf;

/// Care subcommands.
#[derive(Subcommand, Debug)]
pub enum CareCommand {
    /// Gifts (礼品): log one given, plan one (warnings and ideas), list a client's.
    #[command(subcommand)]
    Gifts(GiftsCommand),
    /// Likes, taboos, habits and expected gift quality (喜好与禁忌) of a client or family member.
    #[command(subcommand)]
    Prefs(PrefsCommand),
    /// Referrals (转介绍): who brought whom.
    #[command(subcommand)]
    Referrals(ReferralsCommand),
    /// Loyalty points (积分): a client's balance and ledger, or earn and redeem.
    #[command(args_conflicts_with_subcommands = true)]
    Points(PointsArgs),
    /// Satisfaction surveys (满意度).
    #[command(subcommand)]
    Surveys(SurveysCommand),
    /// A client's family members (家庭成员).
    #[command(subcommand)]
    Family(FamilyCommand),
}

const GIFT_JSON: &str = "JSON (--json): {\"id\":3,\"client_id\":1,\"family_id\":null,\"recipient\":\"王芳\",\
\"given_on\":\"YYYY-MM-DD\",\"occasion\":\"birthday|festival|salon|thanks|other\",\"gift\":\"真丝围巾\",\
\"cost_fen\":68000,\"note\":null}";

const PLAN_JSON: &str = "JSON (--json): {\"client_id\":1,\"family_id\":2,\"person\":\"赵刚\",\"gift\":\"座钟\",\
\"occasion\":null,\"warnings\":[{\"kind\":\"common_taboo\",\"label\":\"钟\",\"keyword\":\"钟\",\"reason\":\"…\"}],\
\"ideas\":[{\"gift\":\"…\",\"why\":\"…\"}]}\nWarning kinds: repeat, similar_to_past, personal_taboo \
(taboo, subject, matched), common_taboo (label, keyword), unlucky_quantity (quantity), quality \
(expected, cost_fen, side below|above). Exit 0 whether or not there are warnings.";

/// `rapport gifts …`.
#[derive(Subcommand, Debug)]
pub enum GiftsCommand {
    /// Log a gift given to a client or a family member.
    #[command(after_help = GIFT_JSON)]
    Log {
        /// The client: id or exact name.
        client: String,
        /// The family member it went to: id, name or relation (spouse, 妻子 …).
        #[arg(long)]
        member: Option<String>,
        /// The gift.
        #[arg(long)]
        gift: String,
        /// birthday/生日, festival/节日, salon/沙龙, thanks/感谢, other/其他.
        #[arg(long)]
        occasion: String,
        /// When it was given, YYYY-MM-DD.
        #[arg(long)]
        on: String,
        /// What it cost in yuan (300, 299.50).
        #[arg(long)]
        cost: Option<String>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// Check a gift for a person before giving it: repeats, taboos, expected quality; with
    /// ideas that fit them.
    #[command(after_help = PLAN_JSON)]
    Plan {
        /// The client: id or exact name.
        client: String,
        /// The family member it is for: id, name or relation.
        #[arg(long)]
        member: Option<String>,
        /// The gift.
        #[arg(long)]
        gift: String,
        /// What it would cost in yuan.
        #[arg(long)]
        cost: Option<String>,
        /// How many pieces.
        #[arg(long)]
        quantity: Option<u32>,
        /// The occasion, as for `gifts log`.
        #[arg(long)]
        occasion: Option<String>,
    },
    /// Every gift to a client and their family, newest first.
    #[command(after_help = "JSON (--json): [gift, …] as `gifts log` prints one")]
    List {
        /// The client: id or exact name.
        client: String,
    },
    /// Remove a gift logged by mistake.
    Delete {
        /// The gift's id.
        id: i64,
    },
}

/// `rapport prefs …`.
#[derive(Subcommand, Debug)]
pub enum PrefsCommand {
    /// Record a like, taboo, habit or expected quality (exactly one of them).
    #[command(
        after_help = "JSON (--json): {\"id\":1,\"client_id\":1,\"family_id\":null,\"kind\":\"like|taboo|habit|quality\",\"text\":\"…\",\"quality\":null|\"economy|standard|premium|luxury\"}"
    )]
    Add {
        /// The client: id or exact name.
        client: String,
        /// The family member it is about: id, name or relation.
        #[arg(long)]
        member: Option<String>,
        /// Something they like (喜好).
        #[arg(long, group = "what")]
        like: Option<String>,
        /// Something never to give or say (禁忌), as written: 不喝酒, 对芒果过敏.
        #[arg(long, group = "what")]
        taboo: Option<String>,
        /// A habit (习惯).
        #[arg(long, group = "what")]
        habit: Option<String>,
        /// Expected gift quality: economy/实惠, standard/中档, premium/高档, luxury/奢华.
        #[arg(long, group = "what")]
        quality: Option<String>,
    },
    /// Everything recorded about a client and their family.
    List {
        /// The client: id or exact name.
        client: String,
    },
    /// Remove a preference.
    Delete {
        /// The preference's id.
        id: i64,
    },
}

/// `rapport referrals …`.
#[derive(Subcommand, Debug)]
pub enum ReferralsCommand {
    /// Record that REFERRER brought REFERRED.
    #[command(
        after_help = "JSON (--json): {\"id\":1,\"referrer_id\":1,\"referrer_name\":\"…\",\"referred_id\":3,\"referred_name\":\"…\",\"referred_on\":\"YYYY-MM-DD\",\"reward\":null}"
    )]
    Add {
        /// The client who brought the other: id or exact name.
        referrer: String,
        /// The client brought: id or exact name.
        referred: String,
        /// When, YYYY-MM-DD.
        #[arg(long)]
        on: String,
        /// The reward given to the referrer.
        #[arg(long)]
        reward: Option<String>,
    },
    /// Who brought a client, and whom they brought.
    #[command(
        after_help = "JSON (--json): {\"referred_by\":null|{referral},\"brought\":[{referral}, …]}"
    )]
    List {
        /// The client: id or exact name.
        client: String,
    },
    /// Remove a referral recorded by mistake.
    Delete {
        /// The referral's id.
        id: i64,
    },
}

const POINTS_JSON: &str = "JSON (--json): `points CLIENT` {\"client_id\":1,\"balance\":300,\"entries\":[entry, …]}; \
add/redeem {\"entry\":{\"id\":1,\"client_id\":1,\"booked_on\":\"YYYY-MM-DD\",\"kind\":\"earned|redeemed\",\
\"points\":500,\"reason\":\"…\"},\"balance\":800}";

/// `rapport points CLIENT` or `rapport points add|redeem …`.
#[derive(Args, Debug)]
#[command(after_help = POINTS_JSON)]
pub struct PointsArgs {
    /// Earn or redeem instead of showing.
    #[command(subcommand)]
    action: Option<PointsAction>,
    /// The client whose balance and ledger to show: id or exact name.
    client: Option<String>,
}

/// Earn or redeem.
#[derive(Subcommand, Debug)]
pub enum PointsAction {
    /// Points earned.
    Add(PointsLine),
    /// Points redeemed (never more than the balance).
    Redeem(PointsLine),
}

/// One line of the ledger.
#[derive(Args, Debug)]
pub struct PointsLine {
    /// The client: id or exact name.
    client: String,
    /// How many points.
    n: i64,
    /// What for.
    #[arg(long = "for")]
    reason: String,
    /// When, YYYY-MM-DD (default today).
    #[arg(long)]
    on: Option<String>,
}

/// `rapport surveys …`.
#[derive(Subcommand, Debug)]
pub enum SurveysCommand {
    /// Record a satisfaction survey; a score of 1–2, or a comment saying the client is unhappy,
    /// opens a follow-up.
    #[command(
        after_help = "JSON (--json): {\"id\":1,\"client_id\":1,\"taken_on\":\"YYYY-MM-DD\",\"channel\":\"phone\",\"score\":2,\"comment\":null,\"follow_up_id\":7}"
    )]
    Add {
        /// The client: id or exact name.
        client: String,
        /// Score 1–5.
        #[arg(long)]
        score: i64,
        /// What the client said.
        #[arg(long)]
        comment: Option<String>,
        /// visit, phone, wechat, sms, email, salon (default phone).
        #[arg(long)]
        channel: Option<String>,
        /// When, YYYY-MM-DD (default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// A client's surveys, newest first.
    List {
        /// The client: id or exact name.
        client: String,
    },
}

/// `rapport family …`.
#[derive(Subcommand, Debug)]
pub enum FamilyCommand {
    /// Add a family member to a client.
    Add {
        /// The client: id or exact name.
        client: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// spouse, child, parent, sibling, other.
        #[arg(long)]
        relation: String,
        /// Birthday YYYY-MM-DD (solar).
        #[arg(long)]
        birthday: Option<String>,
        /// Notes (a child's target university, what they like).
        #[arg(long)]
        notes: Option<String>,
    },
    /// A client's family.
    List {
        /// The client: id or exact name.
        client: String,
    },
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn open(path: Option<PathBuf>) -> Result<Book, Failure> {
    crate::failure::open_existing(&book::resolve_path(path.as_deref()))
}

/// The client and, with `--member`, the family member a command names.
fn person(book: &Book, client: &str, member: Option<&str>) -> Result<(i64, Option<i64>), Failure> {
    let id = clients::resolve(book, client)?;
    let member = member.map(|m| family::resolve(book, id, m)).transpose()?;
    Ok((id, member))
}

fn occasion(text: &str) -> Result<Occasion, Failure> {
    Occasion::from_word(text).ok_or_else(|| {
        let allowed: Vec<String> = Occasion::ALL
            .iter()
            .map(|o| format!("{}/{}", o.as_str(), o.label_zh()))
            .collect();
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        Failure::word("occasion", text, &allowed)
    })
}

/// Run one care subcommand.
pub fn run(cmd: CareCommand, book_path: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let mut book = open(book_path)?;
    let today = clock::today_in(&book)?;
    match cmd {
        CareCommand::Gifts(g) => gifts_cmd(g, &mut book, json, today),
        CareCommand::Prefs(p) => prefs_cmd(p, &mut book, json),
        CareCommand::Referrals(r) => referrals_cmd(r, &mut book, json, today),
        CareCommand::Points(p) => points_cmd(p, &mut book, json, today),
        CareCommand::Surveys(s) => surveys_cmd(s, &mut book, json, today),
        CareCommand::Family(f) => family_cmd(f, &mut book, json, today),
    }
}

fn money(fen: Option<i64>) -> String {
    fen.map(|f| format!("¥{}", format_yuan(f)))
        .unwrap_or_else(|| "-".into())
}

fn gifts_cmd(
    cmd: GiftsCommand,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    match cmd {
        GiftsCommand::Log {
            client,
            member,
            gift,
            occasion: o,
            on,
            cost,
            note,
        } => {
            let (id, member) = person(book, &client, member.as_deref())?;
            let input = GiftInput {
                family_id: member,
                given_on: on,
                occasion: occasion(&o)?,
                gift,
                cost,
                note,
            };
            let g = gifts::log(book, id, &input, today)?;
            if json {
                return print_json(&g);
            }
            println!(
                "logged gift {} to {} on {}: {} ({})",
                g.id,
                g.recipient,
                g.given_on,
                g.gift,
                money(g.cost_fen)
            );
            Ok(())
        }
        GiftsCommand::Plan {
            client,
            member,
            gift,
            cost,
            quantity,
            occasion: o,
        } => {
            let (id, member) = person(book, &client, member.as_deref())?;
            let input = PlanInput {
                family_id: member,
                gift,
                cost,
                quantity,
                occasion: o.as_deref().map(occasion).transpose()?,
            };
            let plan = gifts::plan(book, id, &input, today)?;
            if json {
                return print_json(&plan);
            }
            println!("{} · {}", plan.person, plan.gift);
            if plan.warnings.is_empty() {
                println!("no warning");
            }
            for w in &plan.warnings {
                println!("! {}", w.reason());
            }
            if !plan.ideas.is_empty() {
                println!("ideas:");
                for i in &plan.ideas {
                    println!("  - {} ({})", i.gift, i.why);
                }
            }
            Ok(())
        }
        GiftsCommand::List { client } => {
            let id = clients::resolve(book, &client)?;
            let list = gifts::list(book, id)?;
            if json {
                return print_json(&list);
            }
            for g in &list {
                println!(
                    "{:>5}  {}  {:<8} {:<8} {} {}",
                    g.id,
                    g.given_on,
                    g.recipient,
                    g.occasion.as_str(),
                    g.gift,
                    money(g.cost_fen)
                );
            }
            Ok(())
        }
        GiftsCommand::Delete { id } => {
            gifts::delete(book, id)?;
            if json {
                return print_json(&serde_json::json!({"deleted": id}));
            }
            println!("deleted gift {id}");
            Ok(())
        }
    }
}

fn prefs_cmd(cmd: PrefsCommand, book: &mut Book, json: bool) -> Result<(), Failure> {
    match cmd {
        PrefsCommand::Add {
            client,
            member,
            like,
            taboo,
            habit,
            quality,
        } => {
            let (id, member) = person(book, &client, member.as_deref())?;
            let (kind, text, q) = match (like, taboo, habit, quality) {
                (Some(t), _, _, _) => (PreferenceKind::Like, Some(t), None),
                (_, Some(t), _, _) => (PreferenceKind::Taboo, Some(t), None),
                (_, _, Some(t), _) => (PreferenceKind::Habit, Some(t), None),
                (_, _, _, Some(q)) => {
                    let quality = GiftQuality::from_word(&q).ok_or_else(|| {
                        Failure::word(
                            "quality",
                            &q,
                            &[
                                "economy/实惠",
                                "standard/中档",
                                "premium/高档",
                                "luxury/奢华",
                            ],
                        )
                    })?;
                    (PreferenceKind::Quality, None, Some(quality))
                }
                _ => return Err("say what: --like, --taboo, --habit or --quality".into()),
            };
            let p = preferences::add(
                book,
                id,
                &PreferenceInput {
                    family_id: member,
                    kind,
                    text,
                    quality: q,
                },
            )?;
            if json {
                return print_json(&p);
            }
            println!("recorded {} {}: {}", p.kind.as_str(), p.id, p.text);
            Ok(())
        }
        PrefsCommand::List { client } => {
            let id = clients::resolve(book, &client)?;
            let list = preferences::list(book, id)?;
            if json {
                return print_json(&list);
            }
            for p in &list {
                let who = p
                    .family_id
                    .map(|f| format!("member {f}"))
                    .unwrap_or_else(|| "client".into());
                println!("{:>5}  {:<10} {:<8} {}", p.id, who, p.kind.as_str(), p.text);
            }
            Ok(())
        }
        PrefsCommand::Delete { id } => {
            preferences::delete(book, id)?;
            if json {
                return print_json(&serde_json::json!({"deleted": id}));
            }
            println!("deleted preference {id}");
            Ok(())
        }
    }
}

fn referrals_cmd(
    cmd: ReferralsCommand,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    match cmd {
        ReferralsCommand::Add {
            referrer,
            referred,
            on,
            reward,
        } => {
            let from = clients::resolve(book, &referrer)?;
            let to = clients::resolve(book, &referred)?;
            let r = referrals::add(book, from, to, &on, reward, today)?;
            if json {
                return print_json(&r);
            }
            println!(
                "{} brought {} on {} (referral {})",
                r.referrer_name, r.referred_name, r.referred_on, r.id
            );
            Ok(())
        }
        ReferralsCommand::List { client } => {
            let id = clients::resolve(book, &client)?;
            let r = referrals::of_client(book, id)?;
            if json {
                return print_json(&r);
            }
            if let Some(by) = &r.referred_by {
                println!("brought by {} on {}", by.referrer_name, by.referred_on);
            }
            for b in &r.brought {
                println!(
                    "brought {} on {}{}",
                    b.referred_name,
                    b.referred_on,
                    b.reward
                        .as_deref()
                        .map(|x| format!(" (reward: {x})"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        ReferralsCommand::Delete { id } => {
            referrals::delete(book, id)?;
            if json {
                return print_json(&serde_json::json!({"deleted": id}));
            }
            println!("deleted referral {id}");
            Ok(())
        }
    }
}

fn points_cmd(
    args: PointsArgs,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    let (kind, line) = match args.action {
        None => {
            let client = args
                .client
                .ok_or("say whose points: rapport points CLIENT")?;
            let id = clients::resolve(book, &client)?;
            let account = points::account(book, id)?;
            if json {
                return print_json(&account);
            }
            println!("balance: {}", account.balance);
            for e in &account.entries {
                let sign = if e.kind == PointsKind::Earned {
                    '+'
                } else {
                    '-'
                };
                println!("  {}  {sign}{:<8} {}", e.booked_on, e.points, e.reason);
            }
            return Ok(());
        }
        Some(PointsAction::Add(l)) => (PointsKind::Earned, l),
        Some(PointsAction::Redeem(l)) => (PointsKind::Redeemed, l),
    };
    let id = clients::resolve(book, &line.client)?;
    let booked = points::book_points(
        book,
        id,
        kind,
        line.n,
        &line.reason,
        line.on.as_deref(),
        today,
    )?;
    if json {
        return print_json(&booked);
    }
    println!("balance: {}", booked.balance);
    Ok(())
}

fn surveys_cmd(
    cmd: SurveysCommand,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    match cmd {
        SurveysCommand::Add {
            client,
            score,
            comment,
            channel,
            on,
        } => {
            let id = clients::resolve(book, &client)?;
            let channel = channel
                .map(|c| {
                    Channel::parse(c.trim()).ok_or_else(|| {
                        let allowed: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                        Failure::word("channel", &c, &allowed)
                    })
                })
                .transpose()?;
            let s = surveys::add(
                book,
                id,
                &SurveyInput {
                    taken_on: on,
                    channel,
                    score,
                    comment,
                },
                today,
            )?;
            if json {
                return print_json(&s);
            }
            println!("recorded survey {} (score {})", s.id, s.score);
            if let Some(f) = s.follow_up_id {
                let f = rapport::contacts::get_follow_up(book, f)?;
                println!("follow-up {} opened, due {}: {}", f.id, f.due, f.title);
            }
            Ok(())
        }
        SurveysCommand::List { client } => {
            let id = clients::resolve(book, &client)?;
            let list = surveys::list(book, id)?;
            if json {
                return print_json(&list);
            }
            for s in &list {
                println!(
                    "{}  {}  {}/5  {}",
                    s.taken_on,
                    s.channel.as_str(),
                    s.score,
                    s.comment.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
    }
}

fn family_cmd(
    cmd: FamilyCommand,
    book: &mut Book,
    json: bool,
    today: chrono::NaiveDate,
) -> Result<(), Failure> {
    match cmd {
        FamilyCommand::Add {
            client,
            name,
            relation,
            birthday,
            notes,
        } => {
            let id = clients::resolve(book, &client)?;
            let relation = Relation::parse(relation.trim()).ok_or_else(|| {
                let allowed: Vec<&str> = Relation::ALL.iter().map(|r| r.as_str()).collect();
                Failure::word("relation", &relation, &allowed)
            })?;
            let input = FamilyInput {
                name,
                relation,
                gender: None,
                birthday: birthday.map(|date| Birthday {
                    calendar: Calendar::Solar,
                    date,
                    leap: false,
                }),
                phone: None,
                notes,
            };
            let m = family::add(book, id, &input, today)?;
            if json {
                return print_json(&m);
            }
            println!("added family member {} ({})", m.id, m.name);
            Ok(())
        }
        FamilyCommand::List { client } => {
            let id = clients::resolve(book, &client)?;
            let list = family::list(book, id)?;
            if json {
                return print_json(&list);
            }
            for m in &list {
                println!("{:>5}  {:<8} {}", m.id, m.relation.as_str(), m.name);
            }
            Ok(())
        }
    }
}
