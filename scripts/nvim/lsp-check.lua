-- Headless Neovim (Debian's 0.7: push diagnostics, no window/showDocument) as a second real LSP
-- client, set up by the README's Neovim 0.7 snippet (test/lsp-nvim.test.ts writes it, with the
-- server's path, to the init.lua this runs after): the snippet's FileType autocommand starts the
-- server and attaches the buffers; this script only opens files and acts as a person would.
-- usage: nvim --headless -u init.lua -i NONE -n -c 'luafile lsp-check.lua' -- FILE.ts FILE.py
-- FILE.ts must hold exactly one finding, an unawaited call with the "Add 'await'" fix; FILE.py an
-- unused-async finding. Prints what it sees; exit 0 and "PASS" when: both buffers got one and the
-- same async_lint client, both diagnostics arrived, the quick fix came back and its edit cleared
-- the TypeScript diagnostic, "Show documentation" (chosen through vim.lsp.buf.code_action) named
-- the page in a message, and "Disable <rule> for this file" cleared the Python diagnostic.
local ts_file, py_file = vim.fn.argv(0), vim.fn.argv(1)
local function log(...) io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n') end
local function fail(msg) log('FAIL: ' .. msg); vim.cmd('cquit 1') end
local WAIT = 60000 -- a slow shared machine: generous

local function ours(bufnr)
  return vim.tbl_filter(function(d) return d.source == 'async-lint' end, vim.diagnostic.get(bufnr))
end

local function async_lint_client(bufnr)
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'async_lint' then return c end
  end
end

-- Messages the server shows, recorded on their way to Neovim's own handler.
local messages = {}
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  table.insert(messages, result.message)
  return show_message(err, result, ctx, config)
end

-- vim.lsp.buf.code_action() as a person uses it: the menu (vim.ui.select), answered with `title`.
local function choose_code_action(title)
  local offered = {}
  vim.ui.select = function(items, _, on_choice)
    local chosen
    for i, item in ipairs(items) do
      table.insert(offered, item[2].title)
      if item[2].title == title and not chosen then chosen = i end
    end
    if chosen then on_choice(items[chosen], chosen) else on_choice(nil) end
  end
  vim.lsp.buf.code_action()
  if not vim.wait(WAIT, function() return #offered > 0 end, 50) then return nil end
  return offered
end

-- Python: the buffer is attached by the setup, and a diagnostic arrives.
vim.cmd('edit ' .. vim.fn.fnameescape(py_file))
local py = vim.api.nvim_get_current_buf()
if not vim.wait(WAIT, function() return async_lint_client(py) ~= nil end, 50) then return fail('the setup attached no async_lint client to ' .. py_file) end
if not vim.wait(WAIT, function() return #ours(py) > 0 end, 50) then return fail('no Python diagnostics') end
-- One publishDiagnostics carries all of a document's findings: these are all of them.
for _, pd in ipairs(ours(py)) do
  log(string.format('python: %d:%d [%s] %s', pd.lnum + 1, pd.col + 1, tostring(pd.code or (pd.user_data and pd.user_data.lsp and pd.user_data.lsp.code)), pd.message))
end

-- TypeScript: the same client (one server per root), a diagnostic, its quick fix, applied.
vim.cmd('edit ' .. vim.fn.fnameescape(ts_file))
local bufnr = vim.api.nvim_get_current_buf()
if not vim.wait(WAIT, function() return async_lint_client(bufnr) ~= nil end, 50) then return fail('the setup attached no async_lint client to ' .. ts_file) end
local client = async_lint_client(bufnr)
log('clients: ' .. (client.id == async_lint_client(py).id and 'one for both files' or 'two'))
if not vim.wait(WAIT, function() return #ours(bufnr) > 0 end, 50) then return fail('no TypeScript diagnostics') end
local d = ours(bufnr)[1]
log(string.format('typescript: %d:%d %s', d.lnum + 1, d.col + 1, d.message))
local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum, {}, client.id)
if #lsp_diags == 0 or lsp_diags[1].code ~= 'unawaited' then return fail('expected an unawaited diagnostic, got ' .. vim.inspect(lsp_diags)) end
local resp = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = lsp_diags[1].range,
  context = { diagnostics = lsp_diags, only = { 'quickfix' } },
}, WAIT, bufnr)
if not resp or resp.err or not resp.result or #resp.result == 0 then return fail('no code action: ' .. vim.inspect(resp)) end
for _, a in ipairs(resp.result) do log('action: ' .. a.title) end
local action = resp.result[1]
log('quick fix: ' .. action.title .. (action.isPreferred and ' (preferred)' or ''))
if action.title ~= "Add 'await'" then return fail('unexpected first quick fix ' .. action.title) end
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
local fixed = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
if not fixed:find('await save%(%)') then return fail('the edit was not applied:\n' .. fixed) end
if not vim.wait(WAIT, function() return #ours(bufnr) == 0 end, 50) then return fail('diagnostic not cleared') end

-- Python: the documentation of the finding under the cursor, through the code action menu.
vim.cmd('buffer ' .. py)
local unused = vim.tbl_filter(function(x) return x.code == 'unused-async' end, ours(py))[1]
if not unused then return fail('no unused-async diagnostic') end
vim.api.nvim_win_set_cursor(0, { unused.lnum + 1, unused.col })
if not choose_code_action('Show documentation for unused-async') then return fail('no code actions for unused-async') end
if not vim.wait(WAIT, function() return #messages > 0 end, 50) then return fail('no message after Show documentation') end
log('message: ' .. messages[1])

-- Python: disable the rule for the file, through the menu; the finding goes.
local offered = choose_code_action('Disable unused-async for this file')
if not offered then return fail('no code actions for unused-async') end
log('menu: ' .. table.concat(offered, ' | '))
if not vim.wait(WAIT, function() return vim.api.nvim_buf_get_lines(py, 0, 1, false)[1] == '# async-lint-disable-file unused-async' end, 50) then
  return fail('the directive was not written: ' .. vim.inspect(vim.api.nvim_buf_get_lines(py, 0, 3, false)))
end
if not vim.wait(WAIT, function() return #vim.tbl_filter(function(x) return x.code == 'unused-async' end, ours(py)) == 0 end, 50) then
  return fail('unused-async not cleared after disabling it for the file')
end
log('PASS')
for _, c in pairs(vim.lsp.get_active_clients()) do vim.lsp.stop_client(c.id) end
vim.cmd('qa!')
