% Writes MATPOWER's own AC power flow solution of a case as CSV (bus, Vm, Va), the reference for gridnest's tests.
% Not a dependency of gridnest: run by hand with GNU Octave (Debian `octave` 7.3) and a MATPOWER checkout
% (github MATPOWER/matpower at the commit named in data/README.md), e.g.
%   octave-cli -q --eval "matpower_dir='/path/to/matpower'; case_name='case2383wp'; out='/abs/path/case2383wp-runpf.csv'; run('bench/reference/matpower_runpf.m')"
% (run() changes to the script's folder: give out as an absolute path.)
% Options: MATPOWER defaults (Newton-Raphson, no reactive limits) with pf.tol = 1e-10; set enforce_q_lims = 1 in the
% --eval string for PV->PQ switching at generator reactive limits (pf.enforce_q_lims = 1).
for sub = {'lib', 'mips/lib', 'mp-opt-model/lib', 'mptest/lib', 'data'}
  addpath(fullfile(matpower_dir, sub{1}));
end
if ~exist('enforce_q_lims', 'var'), enforce_q_lims = 0; end
mpopt = mpoption('verbose', 0, 'out.all', 0, 'pf.tol', 1e-10, 'pf.enforce_q_lims', enforce_q_lims);
result = runpf(case_name, mpopt);
if ~result.success, error('runpf did not converge on %s', case_name); end
fid = fopen(out, 'w');
fprintf(fid, '# MATPOWER runpf(%s) solution, Newton-Raphson, pf.tol 1e-10, pf.enforce_q_lims %d, %d iterations (bench/reference/matpower_runpf.m)\n', case_name, enforce_q_lims, result.iterations);
fprintf(fid, 'bus,vmPu,vaDeg\n');
fprintf(fid, '%d,%.10f,%.8f\n', [result.bus(:, 1) result.bus(:, 8) result.bus(:, 9)]');
fclose(fid);
