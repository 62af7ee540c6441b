# komoditas_gk.gp - the commodities contributing most to the poverty line (share of GK in %), urban and rural.
# Written by angka-chart 0.1.0. Render from this directory with
#   gnuplot komoditas_gk.gp
# which reads komoditas_gk.dat and writes komoditas_gk.png/.svg/.pdf (the formats below).
if (!exists("dat")) dat = 'komoditas_gk.dat'
if (!exists("out")) out = 'komoditas_gk'
set decimalsign '.'
set datafile missing '?'
set label 80 'Commodities contributing most to the poverty line, Region 63.11, 2024' at screen 0.012, screen 0.955 left font ',8.87'
set tmargin 4.6
set key at screen 0.012, screen 0.905 left top horizontal maxcols 6 maxrows 2 reverse Left samplen 1.5 spacing 1 width -2 font ',7.5' noautotitle
set border 3 lc rgb '#333333'
set tics nomirror out scale 0.5
set grid ytics lt 1 lc rgb '#E3E3E3' lw 0.5
set style fill solid 1.0 noborder
set lmargin 9
set rmargin 4
set yrange [-0.6:9.6]
set ytics scale 0
set grid noytics xtics
set border 1 lc rgb '#333333'
set lmargin 17
set xrange [0:35.4]
set xtics ('0' 0, '10' 10, '20' 20, '30' 30)
set lmargin 37
set key width 1
set xlabel 'Share of the poverty line (%)'
set label 90 'Source: BPS, March SUSENAS (processed)' at screen 0.012, character 0.80 left font ',7' tc rgb '#4D4D4D'
set label 91 'Poverty line computed from the SUSENAS consumption module (basic needs method)' at screen 0.012, character 1.90 left font ',7' tc rgb '#4D4D4D'
set bmargin 5.8

# One block per format; edit the plot command in the first.
set terminal svg noenhanced size 454,255 font 'Sans,8' linewidth 1
set output out.'.svg'
plot dat using (0):($1+0.2500):(0):4:($1+0.0500):($1+0.4500):ytic(3) with boxxyerror fc rgb '#1B3A6B' fs solid 1.0 noborder title 'Urban', \
  dat using 4:($1+0.2500):5 with labels left offset 0.5,0 font ',6.5' tc rgb '#1B3A6B' notitle, \
  dat using (0):($1-0.2500):(0):6:($1-0.4500):($1-0.0500) with boxxyerror fc rgb '#8FA8CC' fs solid 1.0 noborder title 'Rural', \
  dat using 6:($1-0.2500):7 with labels left offset 0.5,0 font ',6.5' tc rgb '#1B3A6B' notitle
unset output
