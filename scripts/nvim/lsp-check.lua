-- Headless Neovim (Debian's 0.7: vim.lsp.start_client, push diagnostics) as a second real LSP client.
-- usage: LSP_SERVER=path/to/server.js nvim --headless -u NONE -i NONE -n -c 'luafile lsp-check.lua' -- FILE.ts FILE.py
-- FILE.ts must hold exactly one finding, an unawaited call with the "Add 'await'" fix; FILE.py an
-- unused-async finding. Exit 0 and "PASS": both diagnostics arrived, the quick fix came back and
-- was applied, and the TypeScript diagnostic cleared.
local server = assert(os.getenv('LSP_SERVER'), 'set LSP_SERVER')
local ts_file, py_file = vim.fn.argv(0), vim.fn.argv(1)
local function log(...) io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n') end
local function fail(msg) log('FAIL: ' .. msg); vim.cmd('cquit 1') end
local WAIT = 60000 -- a slow shared machine: generous

local client_id = vim.lsp.start_client({
  name = 'async-lint', cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(ts_file, ':p:h'),
})
if not client_id then return fail('start_client') end

local function ours(bufnr)
  return vim.tbl_filter(function(d) return d.source == 'async-lint' end, vim.diagnostic.get(bufnr))
end

-- Python: a diagnostic arrives.
vim.cmd('edit ' .. vim.fn.fnameescape(py_file))
local py = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(py, client_id)
if not vim.wait(WAIT, function() return #ours(py) > 0 end, 50) then return fail('no Python diagnostics') end
local pd = ours(py)[1]
log(string.format('python: %d:%d [%s] %s', pd.lnum + 1, pd.col + 1, tostring(pd.code or (pd.user_data and pd.user_data.lsp and pd.user_data.lsp.code)), pd.message))

-- TypeScript: a diagnostic, its quick fix, applied, and the diagnostic clears.
vim.cmd('edit ' .. vim.fn.fnameescape(ts_file))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)
if not vim.wait(WAIT, function() return #ours(bufnr) > 0 end, 50) then return fail('no TypeScript diagnostics') end
local d = ours(bufnr)[1]
log(string.format('typescript: %d:%d %s', d.lnum + 1, d.col + 1, d.message))
local client = vim.lsp.get_client_by_id(client_id)
local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum, {}, client_id)
if #lsp_diags == 0 or lsp_diags[1].code ~= 'unawaited' then return fail('expected an unawaited diagnostic, got ' .. vim.inspect(lsp_diags)) end
local resp = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = lsp_diags[1].range,
  context = { diagnostics = lsp_diags, only = { 'quickfix' } },
}, WAIT, bufnr)
if not resp or resp.err or not resp.result or #resp.result == 0 then return fail('no code action: ' .. vim.inspect(resp)) end
local action = resp.result[1]
log('quick fix: ' .. action.title .. (action.isPreferred and ' (preferred)' or ''))
if action.title ~= "Add 'await'" then return fail('unexpected first quick fix ' .. action.title) end
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
local fixed = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
if not fixed:find('await save%(%)') then return fail('the edit was not applied:\n' .. fixed) end
if not vim.wait(WAIT, function() return #ours(bufnr) == 0 end, 50) then return fail('diagnostic not cleared') end
log('PASS')
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
