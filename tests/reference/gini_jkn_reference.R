# gini_jkn_reference.R - the delete-one-PSU jackknife SE of the Gini for
# every case of tests/reference/cases.csv, from R survey's own replicate
# machinery: as.svrepdesign(design, type = "JKn") (the lonely-PSU policy of
# the case, census strata dropped) and withReplicates() of the Gini over
# each domain (subset() of the replicate design), mse = FALSE (R's default:
# centred on the replicates' mean). Writes tests/reference/expected/
# <case>_gini_jkn.csv (domain, estimate, se; se empty where R gives NaN or
# the domain lies in one PSU, where angka withholds every SE).
# Run from the repository root (needs r-cran-survey; never run by make):
#   Rscript tests/reference/gini_jkn_reference.R
suppressMessages(library(survey))
options(survey.adjust.domain.lonely = FALSE)
dir <- "tests/reference"
f17 <- function(x) ifelse(is.na(x) | !is.finite(x), "", sprintf("%.17g", x))
gini <- function(y, w) {
  k <- w > 0; y <- y[k]; w <- w[k]
  o <- order(y); y <- y[o]; w <- w[o]
  N <- sum(w); T <- sum(y * w); r <- cumsum(w)
  sum((2 * r - w) * y * w) / (N * T) - 1
}
cases <- read.csv(file.path(dir, "cases.csv"), stringsAsFactors = FALSE)
for (ci in seq_len(nrow(cases))) {
  cs <- cases[ci, ]
  if (cs$expect_fail == 1) next
  options(survey.lonely.psu = cs$lonely)
  d <- read.csv(file.path(dir, "data", paste0(cs$data, ".csv")),
                stringsAsFactors = FALSE, colClasses = c(kec = "character"))
  d$pw <- d$w * d$size
  des <- if (cs$fpc == 1)
    svydesign(ids = ~psu, strata = ~strata, weights = ~pw, nest = TRUE,
              fpc = ~fpc, data = d)
  else
    svydesign(ids = ~psu, strata = ~strata, weights = ~pw, nest = TRUE,
              data = d)
  rep <- tryCatch(as.svrepdesign(des, type = "JKn"), error = function(e) e)
  out <- data.frame()
  one <- function(dom, sel) {
    g <- gini(d$y[sel], d$pw[sel])
    se <- NA
    if (length(unique(d$psu[sel])) > 1 && !inherits(rep, "error")) {
      s <- if (all(sel)) rep else subset(rep, sel)
      se <- SE(withReplicates(s, function(w, data) gini(data$y, w)))[[1]]
    }
    out <<- rbind(out, data.frame(domain = dom, estimate = f17(g),
                                  se = f17(se)))
  }
  one("total", rep(TRUE, nrow(d)))
  if (cs$by != "")
    for (lev in sort(unique(d[[cs$by]])))
      one(paste0(cs$by, "=", lev), d[[cs$by]] == lev)
  write.csv(out, file.path(dir, "expected", paste0(cs$case, "_gini_jkn.csv")),
            row.names = FALSE, quote = FALSE)
  cat(cs$case, ":", paste(out$domain, out$se), "\n")
}
