# survey_reference.R - reference values for angka-indicators from R survey.
#
# Run from the repository root: Rscript tests/reference/survey_reference.R
# (needs r-base-core and r-cran-survey; never run by make or CI).
# 1. Generates the small data sets under tests/reference/data/ (set.seed, so
#    reruns give the same bytes).
# 2. For every case of tests/reference/cases.csv computes, with
#    svydesign(ids=~psu, strata=~strata, weights=~pw, nest=TRUE, fpc=...),
#    svymean / svytotal / svyby / svyratio / svyquantile and confint(...,
#    df=degf(design)), the expected estimates, SEs and CIs, and writes them
#    to tests/reference/expected/<case>.csv in angka's long format columns.
# Gini and the bottom-40% share are computed by direct formulas (convey is
# not packaged in Debian): Gini = sum((2 r - w) y w)/(N T) - 1 (convey's
# point estimate), share = Lorenz curve at 0.4 with the straddling record
# counted by its fraction.
suppressMessages(library(survey))
options(survey.adjust.domain.lonely = FALSE)

dir <- "tests/reference"
f17 <- function(x) { x <- as.numeric(x); ifelse(is.na(x) | !is.finite(x), "", sprintf("%.17g", x)) }

## ---- data sets ---------------------------------------------------------
gen <- function(seed, nstrata, psu_per, hh_per, wscale = 1, lonely = FALSE,
                ties = 0, allpoor_kec = NA, nopoor_kec = NA) {
  set.seed(seed)
  rows <- list()
  id <- 0
  for (h in seq_len(nstrata)) {
    np <- psu_per[(h - 1) %% length(psu_per) + 1]
    if (lonely && h == nstrata) np <- 1
    for (p in seq_len(np)) {
      nh <- hh_per + sample(0:3, 1)
      kec <- sample(c("A", "B", "C", "D"), 1)
      for (k in seq_len(nh)) {
        id <- id + 1
        daerah <- if (h <= nstrata / 2) 1 else 2
        z <- if (daerah == 1) 500000 else 450000
        y <- round(exp(rnorm(1, log(z * 1.6) + 0.1 * h, 0.45)), 2)
        if (!is.na(allpoor_kec) && kec == allpoor_kec) y <- round(z * runif(1, 0.3, 0.95), 2)
        if (!is.na(nopoor_kec) && kec == nopoor_kec) y <- round(z * runif(1, 1.05, 4), 2)
        rows[[id]] <- data.frame(hh = id, strata = sprintf("S%02d", h),
          psu = sprintf("P%02d%02d", h, p), kec = kec, daerah = daerah,
          w = round(runif(1, 20, 200) * wscale * (1 + h), 4),
          size = sample(1:7, 1), y = y, z = z)
      }
    }
  }
  d <- do.call(rbind, rows)
  if (ties > 0) {
    idx <- sample(nrow(d), ties)
    d$y[idx] <- d$z[idx]
  }
  d
}

datasets <- list(
  base = gen(101, 6, c(3, 4, 5), 6),
  lonely = gen(202, 5, c(3, 2), 5, lonely = TRUE, ties = 4,
               allpoor_kec = "C", nopoor_kec = "D"),
  scaled = gen(303, 4, c(4, 3), 7, wscale = 1e-3),
  bigw = gen(404, 4, c(2, 5), 5, wscale = 1e4),
  one = gen(505, 1, 1, 1)[1, ],
  fpc = gen(606, 4, c(3, 4), 5),
  census = gen(707, 4, c(3, 2), 5, lonely = TRUE)
)
# fpc: population PSU counts per stratum
fp <- c(S01 = 10, S02 = 4, S03 = 40, S04 = 9)
datasets$fpc$fpc <- fp[datasets$fpc$strata]
# census: S02 (2 PSUs) and the lonely S04 (1 PSU) are completely enumerated;
# R gives them zero variance before the lonely-PSU policy, so even "fail"
# succeeds.
fc <- c(S01 = 6, S02 = 2, S03 = 10, S04 = 1)
datasets$census$fpc <- fc[datasets$census$strata]
datasets$one$size <- 3

for (nm in names(datasets)) {
  d <- datasets[[nm]]
  out <- d
  for (v in c("w", "y", "z")) out[[v]] <- f17(d[[v]])
  write.csv(out, file.path(dir, "data", paste0(nm, ".csv")),
            row.names = FALSE, quote = FALSE)
}

## ---- expected values ---------------------------------------------------
cases <- read.csv(file.path(dir, "cases.csv"), stringsAsFactors = FALSE)

lorenz <- function(y, w, p) {
  o <- order(y); y <- y[o]; w <- w[o]
  N <- sum(w); T <- sum(y * w); tgt <- p * N; cum <- 0; part <- 0
  for (i in seq_along(y)) {
    if (cum + w[i] <= tgt) { cum <- cum + w[i]; part <- part + y[i] * w[i] }
    else { part <- part + y[i] * (tgt - cum); break }
  }
  part / T
}
gini <- function(y, w) {
  o <- order(y); y <- y[o]; w <- w[o]
  N <- sum(w); T <- sum(y * w); r <- cumsum(w)
  sum((2 * r - w) * y * w) / (N * T) - 1
}
# The Gini's linearized variable (convey's svygini estimator differentiated
# with respect to each weight, Langel and Tille 2013), in the records'
# order: z_k = (2 r_k y_k + 2 (T - T_k) - (G + 1)(T + N y_k)) / (N T), r_k
# and T_k cumulative w and w y up to and including k in y order (ties by w).
gini_lin <- function(y, w) {
  o <- order(y, w); ys <- y[o]; ws <- w[o]
  N <- sum(ws); T <- sum(ys * ws); r <- cumsum(ws); Tk <- cumsum(ys * ws)
  g <- sum((2 * r - ws) * ys * ws) / (N * T) - 1
  z <- numeric(length(y))
  z[o] <- (2 * r * ys + 2 * (T - Tk) - (g + 1) * (T + N * ys)) / (N * T)
  z
}

for (ci in seq_len(nrow(cases))) {
  cs <- cases[ci, ]
  if (cs$lonely == "fail" && cs$expect_fail == 1) next
  options(survey.lonely.psu = cs$lonely)
  d <- read.csv(file.path(dir, "data", paste0(cs$data, ".csv")),
                stringsAsFactors = FALSE, colClasses = c(kec = "character"))
  d$pw <- d$w * d$size
  poor <- if (cs$rule == "weak") d$y <= d$z else d$y < d$z
  d$g0 <- as.numeric(poor)
  d$g1 <- ifelse(poor, (d$z - d$y) / d$z, 0)
  d$g2 <- d$g1^2
  des <- if (cs$fpc == 1)
    svydesign(ids = ~psu, strata = ~strata, weights = ~pw, nest = TRUE,
              fpc = ~fpc, data = d)
  else
    svydesign(ids = ~psu, strata = ~strata, weights = ~pw, nest = TRUE,
              data = d)
  df <- degf(des)
  level <- cs$level
  res <- list()
  ci <- cs$ci
  add_row <- function(dom, ind, est, se, lo, hi, df, deff = NA, neff = NA) {
    if (!is.finite(deff)) neff <- NA   # no variation: R's deff is Inf
    res[[length(res) + 1]] <<- data.frame(domain = dom, indikator = ind,
      estimate = f17(est), se = f17(se), ci_lower = f17(lo),
      ci_upper = f17(hi), df = df, deff = f17(deff), n_eff = f17(neff),
      stringsAsFactors = FALSE)
  }
  # Intervals that respect the range (docs/indicators.md): proportions by
  # svyciprop (logit or beta), other [0, 1] ratios on the logit scale,
  # positive quantities on the log scale; wald = confint cut to the range.
  tq <- function(df) if (df >= 1) qt(1 - (1 - level) / 2, df) else NaN
  ci_pos <- function(est, se, df) {
    if (ci == "wald") return(pmax(0, est + c(-1, 1) * tq(df) * se))
    est * exp(c(-1, 1) * tq(df) * se / est)
  }
  ci_share <- function(p, se, df) {   # p in [0, 1]
    if (ci == "wald") return(pmin(1, pmax(0, p + c(-1, 1) * tq(df) * se)))
    plogis(qlogis(p) + c(-1, 1) * tq(df) * se / (p * (1 - p)))
  }
  emit <- function(dom, sub) {
    # The domain's own degrees of freedom (angka's default domain_df).
    df <- degf(sub)
    add <- function(...) add_row(..., df = df)
    m <- svymean(~g0 + g1 + g2 + y, sub, deff = TRUE)
    nobs <- sum(weights(sub) != 0)
    dm <- deff(m)
    # angka's rule (not R's): a sample without variation in the indicator
    # (nothing in the sample: no poor record, zero depth; for P0 also every
    # record poor) has SE 0 that says nothing about precision: SE, CI and
    # design effect are withheld.
    wd <- weights(sub)
    sw <- sapply(c("g0", "g1", "g2"), function(g) sum(wd * sub$variables[[g]]))
    # A domain inside one PSU: the ratios' linearized PSU total A - R B is 0
    # (R prints rounding noise as the SE); withheld as well.
    one <- length(unique(sub$cluster[wd > 0, 1])) == 1
    flat <- c(sw[1] == 0 || sw[1] == sum(wd), sw[2] == 0, sw[3] == 0) | one
    for (k in 1:3) {
      nm <- paste0("P", k - 1); g <- paste0("g", k - 1)
      p <- coef(m)[k]; se <- SE(m)[k]
      if (flat[k]) { add(dom, nm, 100 * p, NA, NA, NA); next }
      cik <- if (df < 1) c(NA, NA)
             else if (ci == "wald") pmin(1, pmax(0, p + c(-1, 1) * tq(df) * se))
             else attr(svyciprop(as.formula(paste0("~", g)), sub, method = ci,
                                 level = level, df = df), "ci")
      # svyciprop "logit" passes the level through 1 - 2 pnorm(qt(...)),
      # which rounds to 1 (an infinite interval) for tiny df (df 1 at 0.95):
      # then the same Wald interval on the logit scale from svyglm's
      # coefficient and SE, with qt directly.
      if (ci == "logit" && df >= 1 && !all(is.finite(cik) & cik > 0 & cik < 1)) {
        fit <- svyglm(as.formula(paste0(g, " ~ 1")), sub, family = quasibinomial)
        cik <- plogis(coef(fit)[[1]] + c(-1, 1) * tq(df) * SE(fit)[[1]])
      }
      add(dom, nm, 100 * p, 100 * se, 100 * cik[1], 100 * cik[2],
          deff = dm[k], neff = nobs / dm[k])
    }
    t <- svytotal(~g0, sub, deff = TRUE)
    if (sw[1] == 0) add(dom, "jumlah_miskin", coef(t), NA, NA, NA)
    else {
      cit <- ci_pos(coef(t), SE(t), df)
      add(dom, "jumlah_miskin", coef(t), SE(t), cit[1], cit[2],
          deff = deff(t), neff = nobs / deff(t))
    }
    cir <- ci_pos(coef(m)[4], SE(m)[4], df)
    if (one) add(dom, "rata_kapita", coef(m)[4], NA, NA, NA)
    else add(dom, "rata_kapita", coef(m)[4], SE(m)[4], cir[1], cir[2],
             deff = dm[4], neff = nobs / dm[4])
    # Woodruff interval and SE as R computes them (the SE is the CI width
    # over 2 t, so it depends on the level).
    q <- svyquantile(~y, sub, 0.5, qrule = "math", ci = TRUE,
                     interval.type = "mean", alpha = 1 - level, df = df)
    qc <- q[[1]]
    if (one || df < 1 || !all(is.finite(qc[1, 2:3])))
      add(dom, "median_kapita", qc[1, 1], NA, NA, NA)
    else add(dom, "median_kapita", qc[1, 1], qc[1, 4], qc[1, 2], qc[1, 3])
    w <- weights(sub); keep <- w > 0
    g <- gini(sub$variables$y[keep], w[keep])
    if (one) add(dom, "gini", g, NA, NA, NA)
    else {
      # (assigned directly: update() would evaluate w among the data's
      # columns, where w is the household weight)
      sub$variables$zg <- gini_lin(sub$variables$y, w)
      gse <- SE(svytotal(~zg, sub))[[1]]
      cig <- if (df >= 1) ci_share(g, gse, df) else c(NA, NA)
      add(dom, "gini", g, gse, cig[1], cig[2])
    }
    S <- lorenz(sub$variables$y[keep], w[keep], 0.4)
    if (one) add(dom, "porsi_40_bawah", 100 * S, NA, NA, NA)
    else {
      # Partial income share linearization (Osier 2009), q the 0.4
      # quantile by the same rule: z = ((y - q) 1[y <= q] + 0.4 q - S y) / T.
      yv <- sub$variables$y
      qq <- coef(svyquantile(~y, sub, 0.4, qrule = "math", ci = FALSE))[[1]]
      sub$variables$zs <- (ifelse(yv <= qq, yv - qq, 0) + 0.4 * qq - S * yv) /
                          sum(w * yv)
      sse <- SE(svytotal(~zs, sub))[[1]]
      cis <- if (df >= 1) ci_share(S, sse, df) else c(NA, NA)
      add(dom, "porsi_40_bawah", 100 * S, 100 * sse, 100 * cis[1], 100 * cis[2])
    }
  }
  emit("total", des)
  # A delete-one-PSU jackknife of the total's Gini, for comparison only
  # (printed, not an expected value: a different variance estimator).
  if (nrow(d) > 1 && all(table(d$strata) > 0) && cs$lonely != "adjust" &&
      min(tapply(d$psu, d$strata, function(p) length(unique(p)))) > 1) {
    jk <- SE(withReplicates(as.svrepdesign(des, type = "JKn"),
                            function(w, data) gini(data$y[w > 0], w[w > 0])))
    lin <- as.numeric(res[[which(sapply(res, function(r) r$domain == "total" &&
                                 r$indikator == "gini"))]]$se)
    cat(cs$case, ": Gini SE linearized ", lin, " jackknife ", jk,
        " ratio ", lin / jk, "\n", sep = "")
    jk <- SE(withReplicates(as.svrepdesign(des, type = "JKn"),
                            function(w, data) lorenz(data$y[w > 0], w[w > 0], 0.4)))
    lin <- as.numeric(res[[which(sapply(res, function(r) r$domain == "total" &&
                                 r$indikator == "porsi_40_bawah"))]]$se) / 100
    cat(cs$case, ": bottom-40 SE linearized ", lin, " jackknife ", jk,
        " ratio ", lin / jk, "\n", sep = "")
  }
  if (cs$by != "") {
    for (lev in sort(unique(d[[cs$by]]))) {
      dom <- paste0(cs$by, "=", lev)
      sub <- subset(des, d[[cs$by]] == lev)
      emit(dom, sub)
      dfd <- degf(sub)
      for (a in 0:2) {
        g <- paste0("g", a)
        tot <- sum(d$pw * d[[g]])
        nm <- paste0("kontribusi_P", a)
        dtot <- sum(d$pw * d[[g]] * (d[[cs$by]] == lev))
        if (tot > 0 && (dtot == 0 || dtot == tot)) {
          add_row(dom, nm, 100 * dtot / tot, NA, NA, NA, df = dfd)
        } else if (tot > 0) {
          des2 <- update(des, num = get(g) * (get(cs$by) == lev))
          r <- svyratio(as.formula("~num"), as.formula(paste0("~", g)), des2)
          cir <- if (dfd >= 1) ci_share(coef(r), SE(r), dfd) else c(NA, NA)
          add_row(dom, nm, 100 * coef(r), 100 * SE(r), 100 * cir[1],
                  100 * cir[2], df = dfd)
        } else add_row(dom, nm, NA, NA, NA, NA, df = dfd)
      }
    }
  }
  out <- do.call(rbind, res)
  write.csv(out, file.path(dir, "expected", paste0(cs$case, ".csv")),
            row.names = FALSE, quote = FALSE)
  cat(cs$case, ": ", nrow(out), " rows, df ", df, "\n", sep = "")
}
